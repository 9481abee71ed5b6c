#include <pthreadpool.h>
#include <xnnpack.h>
