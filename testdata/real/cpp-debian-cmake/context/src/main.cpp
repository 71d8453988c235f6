#include <algorithm>
#include <iostream>
#include <map>
#include <string>
#include <vector>

int main(int argc, char **argv) {
    std::vector<std::string> words(argv + 1, argv + argc);
    if (words.empty()) words = {"pear", "apple", "fig", "apple"};
    std::map<std::string, int> counts;
    for (const auto &w : words) counts[w]++;
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    for (const auto &w : words) std::cout << w << " x" << counts[w] << "\n";
    return 0;
}
