// zlib (Debian: zlib1g-dev), for gzip-compressed IDX files and .npz archives.
#include <zlib.h>
