int gnuplot_bridge_placeholder(void) { return 0; }
