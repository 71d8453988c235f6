#include <stdio.h>
#include <stdlib.h>
#include "eval.h"

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: calc A OP B   (OP: + - x / pow)\n");
        return 2;
    }
    int ok;
    double r = eval(argv[2], atof(argv[1]), atof(argv[3]), &ok);
    if (!ok) {
        fprintf(stderr, "calc: unknown operator %s\n", argv[2]);
        return 1;
    }
    printf("%g\n", r);
    return 0;
}
