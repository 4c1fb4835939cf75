"""The Lao word splitter: how well it splits Lao sentences written for the course, how fast, and what it costs a kernel.

    .venv/bin/python benchmarks/lao_words.py

Each sentence below is written without spaces, as Lao is, with "|" where a Lao reader puts the word breaks (written
for this benchmark; a compound such as ລົດບັນທຸກ, "truck", counts as one word). The table gives precision and recall
of the word boundaries found, the sentences split exactly, the time per 1,000 answers, and the memory a kernel gains
by importing the splitter (measured in a fresh Python, so nothing else is counted). laonlp is measured too when it
happens to be installed (it is not a dependency of the course).
"""
from __future__ import annotations

import json
import subprocess
import sys
import time

GOLD = """
ຂອບໃຈ|ຫຼາຍໆ|ທີ່|ເຈົ້າ|ຕ່ຳ|ຜ້າ|ໄດ້|ງາມ|ແລະ|ສົ່ງ|ທັນ|ເວລາ
ພວກເຮົາ|ຂໍ|ເລື່ອນ|ວັນ|ສົ່ງ|ສິນຄ້າ|ເພາະວ່າ|ລົດບັນທຸກ|ຈະ|ອອກ|ໄວ|ກວ່າ|ເກົ່າ
ການຟັງ|ແລະ|ຄວາມອົດທົນ|ແມ່ນ|ສຳຄັນ|ທີ່ສຸດ
ລູກຊາຍ|ຂອງ|ຂ້ອຍ|ບໍ່ສະບາຍ|ໝົດ|ອາທິດ
ສີ|ຍ້ອມ|ຄາມ|ໝົດ|ຢູ່|ຕະຫຼາດ
ກະລຸນາ|ຈ່າຍ|ເງິນ|ລ່ວງໜ້າ|ໜ້ອຍ|ໜຶ່ງ
ກຸ່ມ|ແມ່ຍິງ|ໃນ|ບ້ານ|ຢາກ|ໄດ້|ຄ່າແຮງ|ທີ່|ຍຸຕິທຳ
ເຈົ້າ|ຄິດ|ແນວໃດ|ກ່ຽວກັບ|ລາຄາ|ນີ້
ການເຈລະຈາ|ທີ່|ດີ|ຕ້ອງ|ມີ|ການກະກຽມ
ພວກເຮົາ|ຢາກ|ເຮັດ|ວຽກ|ນຳ|ກັນ|ໄປ|ອີກ|ຫຼາຍ|ປີ
ຍ້ອນວ່າ|ຝົນ|ຕົກ|ຫຼາຍ|ມື້|ໄມ້ໄຜ່|ຈຶ່ງ|ບໍ່|ແຫ້ງ
ຂ້ອຍ|ຂໍ|ໂທດ|ທີ່|ຜ້າພັນຄໍ|ຈະ|ຊ້າ
ເຂົາເຈົ້າ|ມັກ|ເຮັດ|ວຽກ|ກັບ|ພວກເຮົາ|ແຕ່|ຕອນນີ້|ເປັນຫ່ວງ
ຂ້ອຍ|ຢາກ|ໃຫ້|ເຈົ້າ|ສົ່ງ|ຜ້າ|ໃຫ້|ທັນ|ວັນທີ|15|ເພາະວ່າ|ລູກຄ້າ|ຈະ|ມາ|ຮັບ|ເຄື່ອງ
ແມ່ຕູ້|ນ້ອຍ|ຕ່ຳ|ຜ້າ|ເກັ່ງ|ທີ່ສຸດ|ໃນ|ບ້ານ
"""

SPLITTERS = {
    "course (icu4py)": ("from artisan_course.content.words import words",
                        "lambda text: words(text)"),
    "laonlp": ("from laonlp.tokenize import word_tokenize",
               "lambda text: [w for w in word_tokenize(text) if w.strip()]"),
}

MEASURE = """
import json, sys, time
def rss():
    return int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0]) / 1024
before = rss()
start = time.perf_counter()
{imports}
split = {call}
split("ສະບາຍດີ")
first = time.perf_counter() - start
gold = [line.split("|") for line in sys.stdin.read().split() if line]
found = [split("".join(g)) for g in gold]
start = time.perf_counter()
for _ in range(1000 // len(gold) + 1):
    for g in gold:
        split("".join(g))
per_thousand = (time.perf_counter() - start) * 1000 / ((1000 // len(gold) + 1) * len(gold))
print(json.dumps({{"found": found, "first": first, "per_thousand": per_thousand, "memory": rss() - before}}))
"""


def boundaries(words: list[str]) -> set[int]:
    spots, at = set(), 0
    for word in words:
        at += len(word)
        spots.add(at)
    return spots


def main() -> None:
    gold = [line.split("|") for line in GOLD.split() if line]
    print("| splitter | precision | recall | sentences split exactly | first call (import) | 1,000 answers "
          "| kernel memory added |")
    print("|---|---|---|---|---|---|---|")
    for name, (imports, call) in SPLITTERS.items():
        result = subprocess.run([sys.executable, "-c", MEASURE.format(imports=imports, call=call)], input=GOLD,
                                capture_output=True, text=True)
        if result.returncode != 0:
            print(f"| {name} | not installed | | | | | |")
            continue
        figures = json.loads(result.stdout)
        hits = found_total = gold_total = exact = 0
        for want, got in zip(gold, figures["found"]):
            want_b, got_b = boundaries(want), boundaries(w for w in got if w.strip())
            hits += len(want_b & got_b)
            found_total += len(got_b)
            gold_total += len(want_b)
            exact += want_b == got_b
        print(f"| {name} | {hits / found_total:.2f} | {hits / gold_total:.2f} | {exact} of {len(gold)} "
              f"| {figures['first']:.2f} s | {figures['per_thousand']:.2f} s | {figures['memory']:.0f} MB |")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"\n({time.perf_counter() - start:.1f} s)")
