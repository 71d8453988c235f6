import collections
import sys


def main():
    text = " ".join(sys.argv[1:]) or "the quick brown fox jumps over the lazy dog the end"
    counts = collections.Counter(w.lower().strip(".,!?") for w in text.split())
    for word, n in counts.most_common(3):
        print(f"{n} {word}")
