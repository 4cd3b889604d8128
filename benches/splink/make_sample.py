#!/usr/bin/env python3
"""Synthetic records.csv + truth.csv for smoke-testing dedup_splink.py.

Only for testing the Splink side end to end: the real benchmark data comes
from the Rust generator in the same format.  Standard library only.

    python make_sample.py --n 100000 --out-dir /tmp/sample [--dup-rate 0.1] [--seed 1]

records.csv columns: rid,name_folded,given,surname,dob,dob_year,id_number,phone,address
truth.csv columns:   rid_a,rid_b,kind   (rid_a < rid_b, one row per duplicate pair)

What is in it:
  * people live in households (1-5 people) sharing surname of the head,
    address and often a phone: realistic hard non-matches;
  * very skewed surnames (nguyen ~38%), middle names by gender, ~100 given
    names with a Zipf-like weight, so namesakes with the same birth year, even
    the same birth date, occur at scale (hard non-matches, told apart by ID);
  * planted duplicates, one per chosen original, each with one kind of
    disagreement (see KINDS), plus independent noise on phone/address, and for
    kinds that are not about the ID, the ID is kept only half of the time
    (otherwise empty or of the other type: a clerk at another office).
"""
import argparse
import csv
import os
import random

SURNAMES = [
    ("nguyen", 38.0), ("tran", 11.0), ("le", 9.5), ("pham", 7.0), ("hoang", 3.0),
    ("huynh", 2.1), ("phan", 4.5), ("vu", 3.9), ("vo", 2.0), ("dang", 2.1),
    ("bui", 2.0), ("do", 1.4), ("ho", 1.3), ("ngo", 1.3), ("duong", 1.0),
    ("ly", 0.5), ("dinh", 0.9), ("truong", 0.8), ("mai", 0.6), ("trinh", 0.5),
    ("lam", 0.5), ("cao", 0.4), ("luu", 0.3), ("ta", 0.3), ("la", 0.2),
    ("quach", 0.2), ("ha", 0.4), ("tang", 0.2), ("kieu", 0.1), ("thai", 0.3),
]
MIDDLE_M = [("van", 40), ("duc", 10), ("minh", 10), ("quoc", 6), ("huu", 8),
            ("cong", 6), ("thanh", 8), ("dinh", 5), ("xuan", 4), ("hoang", 3),
            ("ngoc", 3), ("tuan", 2), ("trung", 2), ("gia", 2)]
MIDDLE_F = [("thi", 55), ("ngoc", 10), ("thu", 7), ("thanh", 6), ("kim", 5),
            ("my", 4), ("hong", 4), ("bich", 3), ("phuong", 3), ("khanh", 3)]
GIVEN_M = """hung dung minh tuan anh nam long hai son thanh phong quang huy khang
bao duy hieu hoang trung tam thang vinh tai tien cuong dat loc phuc nghia
toan khoa kien tri hau hoa binh chien danh giang hiep hop khanh luan manh
nhan phat quy sang tuong vu""".split()
GIVEN_F = """huong lan mai linh ha trang thao hoa hanh phuong ngoc anh nga nhung
thuy van hien hang trinh yen chi dung giang hong lien loan my nhi oanh quyen
tam tuyet uyen vy xuan diep hue kim ly nhan thu tien""".split()
STREETS = """nguyen trai|le loi|tran hung dao|hai ba trung|ly thuong kiet|le duan
|dien bien phu|cach mang thang tam|nguyen thi minh khai|vo van tan|pham ngu lao
|bui vien|ly tu trong|nam ky khoi nghia|pasteur|nguyen dinh chieu|tran quoc thao
|le van sy|hoang van thu|phan dang luu|nguyen van troi|cong hoa|truong chinh
|au co|luy ban bich|tan ky tan quy|le trong tan|kinh duong vuong|hau giang
|minh phung|lac long quan|ba thang hai|su van hanh|ngo gia tu|hung vuong
|nguyen chi thanh|tran phu|an duong vuong|nguyen van cu|tran hung dao b""".replace("\n", "").split("|")
PROVINCES_CCCD = ["079", "001", "031", "048", "092", "075", "080", "052"]

KINDS = ["same_id", "id_drop_digit", "id_change_digit", "id_transpose",
         "cmnd_vs_cccd", "no_middle_name", "dob_day_month_swap", "dob_year_only"]


def weighted(rng, items):
    names, weights = zip(*items)
    return rng.choices(names, weights=weights)[0]


def zipf_items(names):
    return [(n, 1.0 / (i + 1) ** 0.8) for i, n in enumerate(names)]


GIVEN_MW = zipf_items(GIVEN_M)
GIVEN_FW = zipf_items(GIVEN_F)


def make_name(rng, surname, female):
    mid = weighted(rng, MIDDLE_F if female else MIDDLE_M)
    parts = [surname, mid]
    if rng.random() < 0.12:  # a second middle name: "nguyen thi thu huong"
        extra = weighted(rng, MIDDLE_F if female else MIDDLE_M)
        if extra != mid:
            parts.append(extra)
    parts.append(weighted(rng, GIVEN_FW if female else GIVEN_MW))
    return parts


def make_cccd(rng, year, female, used):
    while True:
        century = 0 if year < 2000 else 2
        s = (rng.choice(PROVINCES_CCCD) + str(century + (1 if female else 0))
             + f"{year % 100:02d}" + f"{rng.randrange(10**6):06d}")
        if s not in used:
            used.add(s)
            return s


def make_cmnd(rng, used):
    while True:
        s = rng.choice(["02", "01", "03", "27", "36"]) + f"{rng.randrange(10**7):07d}"
        if s not in used:
            used.add(s)
            return s


def make_phone(rng):
    return rng.choice(["09", "03", "07", "08"]) + f"{rng.randrange(10**8):08d}"


def make_address(rng):
    return (f"{rng.randint(1, 400)} {rng.choice(STREETS)} phuong {rng.randint(1, 15)}"
            f" quan {rng.randint(1, 12)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10000, help="total records, duplicates included")
    ap.add_argument("--dup-rate", type=float, default=0.10,
                    help="fraction of the records that are planted duplicates")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out-dir", default=".")
    args = ap.parse_args()
    rng = random.Random(args.seed)

    n_dup = int(args.n * args.dup_rate)
    n_base = args.n - n_dup
    used_ids = set()
    people = []  # dicts with parts, female, dob(y,m,d), id, phone, address
    while len(people) < n_base:
        size = rng.choice([1, 2, 2, 3, 3, 4, 4, 5])
        head_surname = weighted(rng, SURNAMES)
        address = make_address(rng) if rng.random() < 0.9 else ""
        home_phone = make_phone(rng)
        base_year = rng.randint(1935, 1985)
        for k in range(size):
            if len(people) >= n_base:
                break
            female = rng.random() < 0.52
            surname = head_surname if (k == 0 or rng.random() < 0.8) else weighted(rng, SURNAMES)
            year = min(2006, base_year + (rng.randint(20, 35) if k >= 2 else rng.randint(-4, 4)))
            dob = (year, rng.randint(1, 12), rng.randint(1, 28))
            r = rng.random()
            if r < 0.55:
                idn = make_cccd(rng, year, female, used_ids)
            elif r < 0.95:
                idn = make_cmnd(rng, used_ids)
            else:
                idn = ""
            r = rng.random()
            phone = home_phone if r < 0.35 else (make_phone(rng) if r < 0.8 else "")
            people.append(dict(parts=make_name(rng, surname, female), female=female,
                               dob=dob, dob_text=True, id=idn, phone=phone,
                               address=address))

    records = [dict(p) for p in people]
    truth_idx = []
    originals = rng.sample(range(n_base), n_dup)
    for i, o in enumerate(originals):
        kind = KINDS[i % len(KINDS)]
        src = people[o]
        d = dict(src)
        d["parts"] = list(src["parts"])
        y, m, dd = src["dob"]
        if kind == "same_id":
            if not src["id"]:
                d["id"] = make_cccd(rng, y, src["female"], used_ids)
                records[o]["id"] = d["id"]
        elif kind in ("id_drop_digit", "id_change_digit", "id_transpose"):
            idn = src["id"] or make_cmnd(rng, used_ids)
            records[o]["id"] = idn
            p = rng.randrange(len(idn) - 1)
            if kind == "id_drop_digit":
                new = idn[:p] + idn[p + 1:]
            elif kind == "id_change_digit":
                new = idn[:p] + str((int(idn[p]) + rng.randint(1, 9)) % 10) + idn[p + 1:]
            else:
                q = p
                while idn[q] == idn[q + 1] and q < len(idn) - 2:
                    q += 1
                new = idn[:q] + idn[q + 1] + idn[q] + idn[q + 2:]
            d["id"] = new
        elif kind == "cmnd_vs_cccd":
            if len(src["id"]) == 9:
                d["id"] = make_cccd(rng, y, src["female"], used_ids)
            else:
                if not src["id"]:
                    records[o]["id"] = make_cccd(rng, y, src["female"], used_ids)
                d["id"] = make_cmnd(rng, used_ids)
        elif kind == "no_middle_name":
            d["parts"] = [src["parts"][0], src["parts"][-1]]
        elif kind == "dob_day_month_swap":
            if dd == m:
                dd = (dd % 12) + 1
                records[o]["dob"] = (y, m, dd)
            d["dob"] = (y, dd, m)  # (year, "month", "day") swapped
        elif kind == "dob_year_only":
            d["dob_text"] = False
        if kind in ("no_middle_name", "dob_day_month_swap", "dob_year_only"):
            r = rng.random()
            if r < 0.25:
                d["id"] = ""
            elif r < 0.5:
                # the other ID type: a CCCD issued later, or the old CMND
                d["id"] = (make_cmnd(rng, used_ids) if len(d["id"]) == 12
                           else make_cccd(rng, y, src["female"], used_ids))
        # noise independent of the kind
        r = rng.random()
        if r < 0.25:
            d["phone"] = ""
        elif r < 0.4:
            d["phone"] = make_phone(rng)
        r = rng.random()
        if r < 0.2:
            d["address"] = ""
        elif r < 0.35 and d["address"]:
            toks = d["address"].split(" ")
            toks[0] = str(rng.randint(1, 400))
            d["address"] = " ".join(toks)
        records.append(d)
        truth_idx.append((o, len(records) - 1, kind))

    # random rids so duplicates are not adjacent
    rids = rng.sample(range(1, args.n * 3 + 1), len(records))
    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "records.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["rid", "name_folded", "given", "surname", "dob", "dob_year",
                    "id_number", "phone", "address"])
        order = sorted(range(len(records)), key=lambda i: rids[i])
        for i in order:
            rec = records[i]
            y, m, dd = rec["dob"]
            valid = 1 <= m <= 12 and 1 <= dd <= 31
            dob = f"{y:04d}-{m:02d}-{dd:02d}" if (rec["dob_text"] and valid) else ""
            parts = rec["parts"]
            w.writerow([rids[i], " ".join(parts), parts[-1], parts[0], dob, y,
                        rec["id"], rec["phone"], rec["address"]])
    with open(os.path.join(args.out_dir, "truth.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["rid_a", "rid_b", "kind"])
        for a, b, kind in truth_idx:
            ra, rb = sorted((rids[a], rids[b]))
            w.writerow([ra, rb, kind])
    print(f"wrote {len(records)} records, {len(truth_idx)} duplicate pairs to {args.out_dir}")


if __name__ == "__main__":
    main()
