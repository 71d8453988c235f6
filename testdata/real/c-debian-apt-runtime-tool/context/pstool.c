/* Prints its arguments, then asks procps (a runtime tool apt installs
   beside the compiler) for its version: the split must carry procps. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        printf("%s%s", argv[i], i + 1 < argc ? " " : "\n");
    fflush(stdout);
    int rc = system("pgrep --version");
    return rc == 0 ? 0 : 1;
}
