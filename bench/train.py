"""The Python side of `cargo xtask bench`: times a plain PyTorch loop or Keras on the workloads
that `train_bench export` wrote (crate/examples/train_bench.rs), on the very same numbers.

usage: train.py DATA_DIR torch|torch-1-thread|keras|keras-1-thread

It prints one JSON line when ready, then answers each workload name read on stdin with a JSON
line: the seconds one fit took (the model is built before the clock starts), and the last
epoch's loss and accuracy. Every runner trains the same network: dense layers with Glorot
uniform weights and zero biases (Keras' defaults, and dlintro's), Adam, the batch size and the
number of epochs of the workload, the samples shuffled every epoch. Keras uses its own backend
setting: KERAS_BACKEND=torch for Keras 3 on PyTorch, tensorflow for TensorFlow's.
"""

import json
import os
import sys
import time


def read_raw(path, shape, kind, framework):
    data = open(path, "rb").read()
    if framework == "keras":
        import numpy as np

        return np.frombuffer(data, dtype=np.int64 if kind == "int64" else np.float32).reshape(shape)
    import torch

    dtype = torch.int64 if kind == "int64" else torch.float32
    return torch.frombuffer(bytearray(data), dtype=dtype).reshape(shape)


def load(directory, framework):
    index = json.load(open(os.path.join(directory, "workloads.json")))
    workloads = {}
    for w in index["workloads"]:
        name = w["name"]
        path = lambda part: os.path.join(directory, f"{name}.{part}")
        data = {
            "x": read_raw(path("x"), w["x"], "float32", framework),
            "y": read_raw(path("y"), w["y"], w["y_kind"], framework),
        }
        if w["validation"]:
            data["val_x"] = read_raw(path("val_x"), w["validation"]["x"], "float32", framework)
            data["val_y"] = read_raw(path("val_y"), w["validation"]["y"], w["y_kind"], framework)
        workloads[name] = (w, data)
    return workloads


class TorchRunner:
    """The training loop a PyTorch user writes: the network outputs scores (logits), the loss
    is `cross_entropy` on them (softmax and log in one step), and the epoch's mean loss and
    metric (accuracy, or RMSE for the regression) are summed up from every batch, the numbers
    Keras and dlintro report; with validation data, its loss and metric every epoch too."""

    def __init__(self, threads):
        import torch

        self.torch = torch
        if threads:
            torch.set_num_threads(threads)
        self.version = f"PyTorch {torch.__version__}"
        self.threads = torch.get_num_threads()

    def model(self, w):
        torch = self.torch
        layers, width = [], w["inputs"]
        for i, (units, activation) in enumerate(w["layers"]):
            linear = torch.nn.Linear(width, units)
            torch.nn.init.xavier_uniform_(linear.weight)
            torch.nn.init.zeros_(linear.bias)
            layers.append(linear)
            if activation == "relu":
                layers.append(torch.nn.ReLU())
            width = units
        return torch.nn.Sequential(*layers)

    def run(self, w, data):
        torch = self.torch
        F = torch.nn.functional
        model = self.model(w)
        optimizer = torch.optim.Adam(model.parameters(), lr=w["learning_rate"])
        classifies = w["loss"] == "sparse_categorical_crossentropy"
        x, y = data["x"], data["y"]
        n, batch = x.shape[0], w["batch_size"]
        start = time.perf_counter()
        for _ in range(w["epochs"]):
            order = torch.randperm(n)
            xs, ys = x[order], y[order]
            loss_sum, metric_sum = 0.0, 0.0
            for first in range(0, n, batch):
                xb, yb = xs[first : first + batch], ys[first : first + batch]
                out = model(xb)
                loss = F.cross_entropy(out, yb) if classifies else F.mse_loss(out, yb)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                loss_sum += loss.item() * xb.shape[0]
                with torch.no_grad():
                    if classifies:
                        metric_sum += (out.argmax(1) == yb).sum().item()
                    else:
                        metric_sum += (out - yb).square().sum().item()
            if "val_x" in data:
                with torch.no_grad():
                    out = model(data["val_x"])
                    val_loss = F.mse_loss(out, data["val_y"]).item()
                    val_rmse = (out - data["val_y"]).square().mean().sqrt().item()
        seconds = time.perf_counter() - start
        return {
            "seconds": seconds,
            "loss": loss_sum / n,
            "accuracy": metric_sum / n if classifies else None,
            "rmse": None if classifies else (metric_sum / n) ** 0.5,
        }


class KerasRunner:
    """Keras as the lesson uses it: `Sequential`, `compile` with the accuracy metric for a
    classifier, `fit` with `verbose=0`."""

    def __init__(self, threads):
        import keras

        if threads and keras.backend.backend() == "torch":
            import torch

            torch.set_num_threads(threads)
        self.keras = keras
        self.version = f"Keras {keras.__version__} ({keras.backend.backend()} backend)"
        self.threads = None
        if keras.backend.backend() == "torch":
            import torch

            self.threads = torch.get_num_threads()

    def run(self, w, data):
        keras = self.keras
        layers = [keras.Input((w["inputs"],))]
        for units, activation in w["layers"]:
            layers.append(keras.layers.Dense(units, activation=None if activation == "linear" else activation))
        model = keras.Sequential(layers)
        classifies = w["loss"] == "sparse_categorical_crossentropy"
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate=w["learning_rate"]),
            loss=w["loss"],
            metrics=["accuracy"] if classifies else [keras.metrics.RootMeanSquaredError()],
        )
        validation = (data["val_x"], data["val_y"]) if "val_x" in data else None
        start = time.perf_counter()
        history = model.fit(
            data["x"],
            data["y"],
            batch_size=w["batch_size"],
            epochs=w["epochs"],
            validation_data=validation,
            shuffle=True,
            verbose=0,
        )
        seconds = time.perf_counter() - start
        return {
            "seconds": seconds,
            "loss": history.history["loss"][-1],
            "accuracy": history.history["accuracy"][-1] if classifies else None,
            "rmse": None if classifies else history.history["root_mean_squared_error"][-1],
        }


def main():
    directory, framework = sys.argv[1], sys.argv[2]
    try:
        if framework == "torch":
            runner = TorchRunner(threads=None)
        elif framework == "torch-1-thread":
            runner = TorchRunner(threads=1)
        elif framework == "keras":
            runner = KerasRunner(threads=None)
        elif framework == "keras-1-thread":
            runner = KerasRunner(threads=1)
        else:
            raise ValueError(f"unknown framework {framework!r}")
    except ImportError as error:
        print(json.dumps({"unavailable": f"{error} (in {sys.executable})"}), flush=True)
        return
    workloads = load(directory, "keras" if framework.startswith("keras") else "torch")
    print(json.dumps({"ready": runner.version, "threads": runner.threads}), flush=True)
    for line in sys.stdin:
        name = line.strip()
        if name not in workloads:
            answer = {"error": f"no workload {name!r}"}
        else:
            try:
                answer = runner.run(*workloads[name])
            except Exception as error:  # reported to xtask, which shows it in the table
                answer = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
