"""The lesson's penguin model in Python, for `cargo xtask bench`.

Times the same work as crate/examples/penguins_bench.rs: 4 standardised features ->
Dense(10, relu) -> Dense(3, softmax), Adam (0.001), batch 32, 100 epochs on 266 training
penguins, with PyTorch and with Keras, each when it is importable (the workshop's
environment has PyTorch; TensorFlow is not part of environment.yml: point
DLINTRO_BENCH_PYTHON at a Python that has it).

usage: penguins.py PENGUINS_CSV [REPEATS]
"""

import csv
import random
import statistics
import sys
import time

FEATURES = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]


def load(path):
    rows = [r for r in csv.DictReader(open(path)) if "NA" not in (r[f] for f in FEATURES) and r["sex"] != "NA"]
    x = [[float(r[f]) for f in FEATURES] for r in rows]
    classes = sorted({r["species"] for r in rows})
    y = [classes.index(r["species"]) for r in rows]
    return x, y


def standardise(x):
    n = len(x)
    means = [sum(col) / n for col in zip(*x)]
    stds = [(sum((v - m) ** 2 for v in col) / n) ** 0.5 for col, m in zip(zip(*x), means)]
    return [[(v - m) / s for v, m, s in zip(row, means, stds)] for row in x]


def torch_fit(x, y):
    import torch

    torch.set_num_threads(torch.get_num_threads())
    xt = torch.tensor(x, dtype=torch.float32)
    yt = torch.tensor(y)
    model = torch.nn.Sequential(torch.nn.Linear(4, 10), torch.nn.ReLU(), torch.nn.Linear(10, 3))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    for _ in range(100):
        order = torch.randperm(len(x))
        for start in range(0, len(x), 32):
            batch = order[start : start + 32]
            loss = torch.nn.functional.cross_entropy(model(xt[batch]), yt[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def keras_fit(x, y):
    import numpy as np
    from tensorflow import keras

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(10, activation="relu"), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(np.array(x), np.array(y), epochs=100, batch_size=32, verbose=0)


def timed(name, fit, x, y, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fit(x, y)
        times.append(time.perf_counter() - start)
    print(f"{name}: median {statistics.median(times):.3f} s per 100-epoch fit over {repeats} runs")


def main():
    path = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    x, y = load(path)
    random.seed(0)
    train = random.sample(range(len(x)), 266)
    x_train = standardise([x[i] for i in train])
    y_train = [y[i] for i in train]
    for name, module, fit in [
        ("PyTorch (Python)", "torch", torch_fit),
        ("Keras (Python, TensorFlow)", "tensorflow", keras_fit),
    ]:
        try:
            __import__(module)
        except ImportError:
            print(f"{name}: skipped, {module} is not installed in {sys.executable}")
            continue
        timed(name, fit, x_train, y_train, repeats)


if __name__ == "__main__":
    main()
