#ifndef LESSONLENS_CZLIB_SHIM_H
#define LESSONLENS_CZLIB_SHIM_H
#include <zlib.h>
#endif
