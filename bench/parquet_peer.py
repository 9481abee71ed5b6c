"""pyarrow's side of bench/parquet.sh: loads the rows Orchard just wrote (untimed, so both sides write the
same values), then times pq.write_table with the same codec and row-group size.
usage: parquet_peer.py ORCHARD_FILE OUT_FILE CODEC ROUNDS"""
import os, sys, time
import pyarrow.parquet as pq

source, out, codec, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
table = pq.read_table(source)
level = {"zstd": 1, "gzip": 6}.get(codec)


def timed(**options):
    times, cpu = [], []
    for _ in range(rounds):
        start, cpu_start = time.perf_counter(), time.process_time()
        pq.write_table(table, out, compression=codec, compression_level=level, row_group_size=10_000, **options)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
    return min(times), sorted(times)[len(times) // 2], min(cpu), os.path.getsize(out)


for name, options in [("default", {}), ("dict-strings", {"use_dictionary": ["path", "label"]})]:
    best, median, best_cpu, size = timed(**options)
    print(f"pyarrow  {codec} {table.num_rows} rows ({name}): wall best {best:.3f} s, median {median:.3f} s; "
          f"cpu best {best_cpu:.3f} s ({rounds} rounds), {size} bytes")
    print(f"PYARROW_SECONDS_{name.replace('-', '_').upper()} {best:.4f} {best_cpu:.4f}")

times = []
for _ in range(rounds):
    start = time.perf_counter()
    n = len(pq.read_table(source, columns=["features"]).column("features").combine_chunks().flatten())
    times.append(time.perf_counter() - start)
print(f"pyarrow  read features column (Orchard's file): wall best {min(times):.3f} s ({n} floats)")
