#include <iostream>
#include <string>
#include <sqlite3.h>

int main(int argc, char **argv) {
    sqlite3 *db = nullptr;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
    sqlite3_exec(db, "CREATE TABLE kv(k TEXT PRIMARY KEY, v TEXT)", nullptr, nullptr, nullptr);
    sqlite3_stmt *ins = nullptr;
    sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO kv VALUES(?, ?)", -1, &ins, nullptr);
    for (int i = 1; i + 1 < argc; i += 2) {
        sqlite3_bind_text(ins, 1, argv[i], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 2, argv[i + 1], -1, SQLITE_TRANSIENT);
        sqlite3_step(ins);
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    sqlite3_stmt *q = nullptr;
    sqlite3_prepare_v2(db, "SELECT k, v FROM kv ORDER BY k", -1, &q, nullptr);
    while (sqlite3_step(q) == SQLITE_ROW)
        std::cout << sqlite3_column_text(q, 0) << "=" << sqlite3_column_text(q, 1) << "\n";
    sqlite3_finalize(q);
    std::cout << "sqlite " << sqlite3_libversion() << "\n";
    sqlite3_close(db);
    return 0;
}
