#!/usr/bin/env python3
"""Duplicate-recipient detection with Splink 4 (DuckDB backend): the baseline
that the Rust detector is benchmarked against.

    python dedup_splink.py --records records.csv --out pairs.csv [--threshold 0.5]

Input records.csv (UTF-8, comma, header):
    rid,name_folded,given,surname,dob,dob_year,id_number,phone,address
Output pairs.csv: rid_l,rid_r,match_probability  (rid_l < rid_r, probability >= threshold)
stdout: exactly one JSON line at the end (all logging goes to stderr):
    {"records": N, "pairs": P, "seconds_total": T, "seconds_train": t1,
     "seconds_predict": t2, "splink_version": "...", ...}

The model (see README.md for why it is a fair configuration):
  comparisons
    name     null / exact name_folded (term-frequency adjusted) / same surname
             and given name, middle name differs or missing / Jaro-Winkler >= 0.92
             / Jaro-Winkler >= 0.80 / else
    dob      null (no year on a side) / exact date / day and month swapped /
             Damerau-Levenshtein <= 1 on the yyyy-mm-dd text / full date on one
             side only, same year / years differ by <= 1 / else
    id       null / exact / Damerau-Levenshtein <= 1 / Levenshtein <= 2 /
             9-digit CMND vs 12-digit CCCD (different ID types) / else
    contact  (phone and address in one comparison: households share both)
             null (neither can be compared) / same phone and address / same
             phone (TF adjusted) / same address (TF adjusted) / address
             Jaro-Winkler >= 0.90 / else
  training
    lambda   estimate_probability_two_random_records_match on exact id or exact
             name+dob, recall 0.7
    u        estimate_u_using_random_sampling(max_pairs = 10 x records, within 1e6..1e7)
    m        EM (iterating on agreement-pattern counts) on block_on(dob), which
             trains name, id, contact, and block_on(name_folded, address),
             which trains dob and id
  prediction blocking (union, Splink de-duplicates pairs across rules)
    id_number; last 6 digits of id_number; phone; dob+given; dob+surname;
    name_folded+birth year
"""
import argparse
import contextlib
import json
import logging
import shutil
import sys
import tempfile
import time

import duckdb
import splink
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on


def build_settings():
    name = cl.CustomComparison(
        output_column_name="name",
        comparison_description="folded full name",
        comparison_levels=[
            cll.NullLevel("name_folded"),
            cll.ExactMatchLevel("name_folded", term_frequency_adjustments=True),
            cll.And(
                cll.ExactMatchLevel("surname"), cll.ExactMatchLevel("given")
            ).configure(label_for_charts="surname and given name equal, middle differs"),
            cll.JaroWinklerLevel("name_folded", 0.92),
            cll.JaroWinklerLevel("name_folded", 0.80),
            cll.ElseLevel(),
        ],
    )
    dob = cl.CustomComparison(
        output_column_name="dob",
        comparison_description="date of birth, with year-only and swapped values",
        comparison_levels=[
            cll.CustomLevel("dob_y_l IS NULL OR dob_y_r IS NULL").configure(
                is_null_level=True, label_for_charts="dob missing"
            ),
            cll.ExactMatchLevel("dob").configure(label_for_charts="exact date"),
            cll.CustomLevel(
                "substr(dob_l, 1, 4) = substr(dob_r, 1, 4)"
                " AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2)"
                " AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)",
                label_for_charts="day and month swapped",
            ),
            cll.DamerauLevenshteinLevel("dob", 1),
            cll.CustomLevel(
                "(dob_l IS NULL OR dob_r IS NULL) AND dob_y_l = dob_y_r",
                label_for_charts="same year, full date known on one side only",
            ),
            cll.CustomLevel(
                "abs(dob_y_l - dob_y_r) <= 1", label_for_charts="birth years within 1"
            ),
            cll.ElseLevel(),
        ],
    )
    id_number = cl.CustomComparison(
        output_column_name="id_number",
        comparison_description="CMND/CCCD number",
        comparison_levels=[
            cll.NullLevel("id_number"),
            cll.ExactMatchLevel("id_number"),
            cll.DamerauLevenshteinLevel("id_number", 1),
            cll.LevenshteinLevel("id_number", 2),
            cll.CustomLevel(
                "abs(length(id_number_l) - length(id_number_r)) = 3",
                label_for_charts="9-digit CMND vs 12-digit CCCD",
            ),
            cll.ElseLevel(),
        ],
    )
    # Phone and address in ONE comparison: members of a household share both,
    # so as two independent comparisons (naive Bayes) their agreement would be
    # counted twice and family members with different names, dates of birth and
    # IDs score as matches.  Measured on the sample: precision 0.96 -> see README.
    contact = cl.CustomComparison(
        output_column_name="contact",
        comparison_description="phone and address together",
        comparison_levels=[
            cll.CustomLevel(
                "(phone_l IS NULL OR phone_r IS NULL)"
                " AND (address_l IS NULL OR address_r IS NULL)"
            ).configure(is_null_level=True, label_for_charts="no phone and no address to compare"),
            cll.CustomLevel(
                "phone_l = phone_r AND address_l = address_r",
                label_for_charts="same phone and same address",
            ),
            cll.ExactMatchLevel("phone", term_frequency_adjustments=True).configure(
                label_for_charts="same phone, address differs or missing"
            ),
            cll.ExactMatchLevel("address", term_frequency_adjustments=True).configure(
                label_for_charts="same address, phone differs or missing"
            ),
            cll.JaroWinklerLevel("address", 0.90),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="rid",
        comparisons=[name, dob, id_number, contact],
        blocking_rules_to_generate_predictions=PREDICTION_RULES,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


PREDICTION_RULES = [
    block_on("id_number"),
    # a typo in the first digits; the CCCD's first 6 digits are province,
    # sex/century and birth year, so the tail is the selective part
    block_on("right(id_number, 6)"),
    block_on("phone"),
    block_on("dob", "given"),
    block_on("dob", "surname"),
    # year-only or day/month-swapped (invalid, so year-only) dates
    block_on("name_folded", "dob_y"),
]

TRAINING_RULES = [
    # Each rule must give a mix of matches and non-matches for the comparisons
    # it trains.  Avoided on purpose: block_on("id_number") yields only matches
    # (the 'else' levels of name and dob stay untrained and fall back to weak
    # defaults), and block_on("phone") is dominated by households, so EM learns
    # "same household" instead of "same person".
    block_on("dob"),  # trains name, id, contact
    # dob is trained only where no dob column is blocked on; same full name at
    # the same address is mostly the same person, with some namesakes
    block_on("name_folded", "address"),  # trains dob, id
]

DETERMINISTIC_RULES = [block_on("id_number"), block_on("name_folded", "dob")]


def load_records(con, path):
    """records.csv -> table `records`; columns found by header name (extra ones
    ignored), every value read as text so ID numbers keep their leading zeros."""
    path_sql = path.replace("'", "''")
    con.execute(
        f"""
        CREATE TABLE records AS
        SELECT
            CAST(rid AS BIGINT) AS rid,
            nullif(trim(name_folded), '') AS name_folded,
            nullif(trim(given), '') AS given,
            nullif(trim(surname), '') AS surname,
            nullif(trim(dob), '') AS dob,
            coalesce(try_cast(nullif(trim(dob_year), '') AS INTEGER),
                     try_cast(substr(nullif(trim(dob), ''), 1, 4) AS INTEGER)) AS dob_y,
            nullif(trim(id_number), '') AS id_number,
            nullif(trim(phone), '') AS phone,
            nullif(trim(address), '') AS address
        FROM read_csv('{path_sql}', header = true, delim = ',', quote = '"',
                      escape = '"', all_varchar = true)
        """
    )
    n, distinct = con.execute("SELECT count(*), count(DISTINCT rid) FROM records").fetchall()[0]
    if n != distinct:
        raise SystemExit(f"records.csv: rid is not unique ({n} rows, {distinct} distinct rids)")
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-pairs", type=float, default=None,
                    help="pairs for u estimation (default: 10 x records, within [1e6, 1e7])")
    ap.add_argument("--seed", type=int, default=42, help="seed of the u sampling")
    ap.add_argument("--model-out", default=None, help="also save the trained model JSON")
    ap.add_argument("--analyse-blocking", action="store_true",
                    help="log the comparison count of each prediction rule (not timed apart)")
    ap.add_argument("--verbose", action="store_true", help="Splink's INFO logging to stderr")
    args = ap.parse_args()

    logging.basicConfig(stream=sys.stderr, format="%(message)s",
                        level=logging.INFO if args.verbose else logging.WARNING)
    logging.getLogger("splink").setLevel(logging.INFO if args.verbose else logging.WARNING)
    real_stdout = sys.stdout
    t0 = time.perf_counter()
    last = [t0]

    def step(what):
        now = time.perf_counter()
        print(f"[timing] {what}: {now - last[0]:.2f} s", file=sys.stderr, flush=True)
        last[0] = now

    tmpdir = tempfile.mkdtemp(prefix="splink-duckdb-")
    # Splink and its helpers may print: keep stdout for the one JSON line
    with contextlib.redirect_stdout(sys.stderr):
        con = duckdb.connect(":memory:")
        con.execute(f"SET threads = {int(args.threads)}")
        con.execute(f"SET temp_directory = '{tmpdir}'")
        con.execute("SET preserve_insertion_order = false")
        n = load_records(con, args.records)
        step("load")
        db_api = DuckDBAPI(connection=con)
        linker = Linker("records", build_settings(), db_api)

        if args.analyse_blocking:
            from splink.blocking_analysis import (
                cumulative_comparisons_to_be_scored_from_blocking_rules_data,
            )
            counts = cumulative_comparisons_to_be_scored_from_blocking_rules_data(
                table_or_tables="records", blocking_rules=PREDICTION_RULES,
                link_type="dedupe_only", db_api=db_api, unique_id_column_name="rid",
            )
            print(counts.to_string(), file=sys.stderr)

        t_train0 = time.perf_counter()
        linker.training.estimate_probability_two_random_records_match(
            DETERMINISTIC_RULES, recall=0.7
        )
        step("lambda")
        max_pairs = args.max_pairs or min(1e7, max(1e6, 10.0 * n))
        linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=args.seed)
        step("u (random sampling)")
        for rule in TRAINING_RULES:
            # iterate on agreement-pattern counts instead of every blocked pair:
            # much faster on the 24M pairs that block_on("dob") gives at 1M
            # records; TF adjustments still apply at prediction time
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
            step("EM")
        t_train1 = time.perf_counter()
        if args.model_out:
            linker.misc.save_model_to_json(args.model_out, overwrite=True)

        preds = linker.inference.predict(threshold_match_probability=args.threshold)
        step("predict")
        out_sql = args.out.replace("'", "''")
        con.execute(
            f"""
            COPY (
                SELECT least(rid_l, rid_r) AS rid_l, greatest(rid_l, rid_r) AS rid_r,
                       match_probability
                FROM {preds.physical_name}
                WHERE match_probability >= {float(args.threshold)!r}
                ORDER BY rid_l, rid_r
            ) TO '{out_sql}' (HEADER, DELIMITER ',')
            """
        )
        pairs = con.execute(
            f"SELECT count(*) FROM {preds.physical_name}"
            f" WHERE match_probability >= {float(args.threshold)!r}"
        ).fetchall()[0][0]
        t_end = time.perf_counter()
        step("write")
        con.close()
    shutil.rmtree(tmpdir, ignore_errors=True)
    print(json.dumps({
        "records": int(n),
        "pairs": int(pairs),
        "seconds_total": round(t_end - t0, 3),
        "seconds_train": round(t_train1 - t_train0, 3),
        "seconds_predict": round(t_end - t_train1, 3),
        "splink_version": splink.__version__,
        "duckdb_version": duckdb.__version__,
        "threshold": args.threshold,
        "threads": args.threads,
        "u_max_pairs": int(max_pairs),
    }), file=real_stdout, flush=True)


if __name__ == "__main__":
    main()
