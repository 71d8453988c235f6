#include <math.h>
#include <string.h>
#include "eval.h"

double eval(const char *op, double a, double b, int *ok) {
    *ok = 1;
    if (!strcmp(op, "+")) return a + b;
    if (!strcmp(op, "-")) return a - b;
    if (!strcmp(op, "x")) return a * b;
    if (!strcmp(op, "/")) return a / b;
    if (!strcmp(op, "pow")) return pow(a, b);
    *ok = 0;
    return 0;
}
