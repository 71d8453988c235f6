#include "fib.h"

unsigned long long fib(unsigned n) {
    unsigned long long a = 0, b = 1;
    while (n--) {
        unsigned long long t = a + b;
        a = b;
        b = t;
    }
    return a;
}
