#include <stdio.h>
#include <string.h>
#include <zlib.h>

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        unsigned long c = crc32(0L, (const Bytef *)argv[i], (uInt)strlen(argv[i]));
        printf("%08lx %s\n", c, argv[i]);
    }
    printf("zlib %s\n", zlibVersion());
    return 0;
}
