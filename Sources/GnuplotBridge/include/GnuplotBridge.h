// Work in progress.
int gnuplot_bridge_placeholder(void);
