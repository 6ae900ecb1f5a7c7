"""
Writes the PyTorch fixtures of fromOnnx's tests: two networks built and exported by PyTorch itself
(torch.onnx.export, NCHW, eval mode), with PyTorch's logits for fixed inputs.

    /usr/bin/python3 packages/interop/scripts/pytorch-fixtures.py

    src/onnx/fixtures/lenet5.onnx, resnet_small.onnx      the graphs, as torch.onnx.export writes them
    src/onnx/fixtures/pytorch-logits.json                  per network: the input (NCHW, flat), its shape, the logits

The weights are PyTorch's default initialization under a fixed seed, and the batch-norm statistics are
set to seeded random values (so that the export's inference-mode batch norm is not an identity). The
test suite reads the committed files and needs no Python. Debian's python3-torch (1.13) runs it: it
installs for /usr/bin/python3, which a pyenv python3 on the PATH hides.
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "onnx", "fixtures")


class LeNet5(nn.Module):
    """LeCun et al. 1998 as the lecture's LeNet-5: 28x28 input padded to 32x32 by the first convolution."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.avg_pool2d(torch.tanh(self.conv2(x)), 2)
        x = torch.flatten(x, 1)  # in C, H, W order: the Dense after it must be permuted for NHWC
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


class BasicBlock(nn.Module):
    """torchvision's basic block: two 3x3 convolutions with batch norm, and the input added back."""

    def __init__(self, channels, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + x)


class ResNetSmall(nn.Module):
    """A small residual net with torchvision's stem on 28x28 images: conv 3x3 stride 2 (pads 1, 1: not
    TF's 'same'), max pool 3x3 stride 2 pad 1 after a ReLU, two basic blocks, global average pooling."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 8, 3, stride=2, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(8)
        self.pool = nn.MaxPool2d(3, stride=2, padding=1)
        self.block1 = BasicBlock(8)
        self.block2 = BasicBlock(8)
        self.head = nn.Conv2d(8, 16, 1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.bn(self.stem(x))))
        x = self.block2(self.block1(x))
        x = F.relu(self.head(x))
        x = F.adaptive_avg_pool2d(x, 1)
        x = torch.flatten(x, 1)
        return self.fc(x)


def randomize_batch_norm(model, generator):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.weight.uniform_(0.5, 1.5, generator=generator)
                m.bias.uniform_(-0.5, 0.5, generator=generator)
                m.running_mean.uniform_(-0.5, 0.5, generator=generator)
                m.running_var.uniform_(0.5, 2.0, generator=generator)


def main():
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(1)
    out = {}
    for name, net in [("lenet5", LeNet5()), ("resnet_small", ResNetSmall())]:
        randomize_batch_norm(net, generator)
        net.eval()
        x = torch.rand(3, 1, 28, 28, generator=generator)
        torch.onnx.export(
            net,
            x,
            os.path.join(HERE, f"{name}.onnx"),
            opset_version=13,
            input_names=["input"],
            output_names=["logits"],
            dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
            do_constant_folding=True,
            # PRESERVE (the model is in eval mode) keeps batch norm a BatchNormalization node instead of
            # folding it into the convolution before it, so the import of that node is tested too
            training=torch.onnx.TrainingMode.PRESERVE,
        )
        with torch.no_grad():
            logits = net(x)
        out[name] = {
            "inputShape": list(x.shape),
            "input": [float(v) for v in x.flatten()],
            "logits": [float(v) for v in logits.flatten()],
            "torch": torch.__version__,
        }
    with open(os.path.join(HERE, "pytorch-logits.json"), "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
