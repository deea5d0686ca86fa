// libpng's simplified API (png_image), Debian: libpng-dev.
#include <png.h>
