// sa-torch-demo.cpp — the built-in demo CNN ("builtin:democnn").
//
// Made with Module::define and registered parameters so that it is an
// ordinary TorchScript module: it can be tapped, saved, and loaded by
// Python's torch.jit.load. Its weights come from formulas and a fixed-seed
// generator of our own, so they are the same on every machine and libtorch.
#include "compute/torch/sa-torch-demo.hpp"

#include <cmath>
#include <cstdint>
#include <string>

namespace {

constexpr double kPi = 3.14159265358979323846;

// splitmix64 + Box–Muller: reproducible normals independent of libtorch's RNG.
struct Normal
{
  uint64_t state;

  double
  uniform ()
  {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return ((z >> 11) + 0.5) * (1.0 / 9007199254740992.0);
  }

  double
  next ()
  {
    double u1 = uniform (), u2 = uniform ();
    return std::sqrt (-2.0 * std::log (u1)) * std::cos (2.0 * kPi * u2);
  }
};

at::Tensor
seeded (at::IntArrayRef shape, double stddev, uint64_t seed)
{
  at::Tensor t = at::empty (shape, at::kFloat);
  Normal rng{ seed };
  float *p = t.data_ptr<float> ();
  for (int64_t i = 0; i < t.numel (); i++)
    p[i] = static_cast<float> (rng.next () * stddev);
  return t;
}

// 8 orientations × 2 phases (even, odd) of a 7×7 Gabor, zero mean, unit
// norm, on luminance (the same kernel on R, G and B).
at::Tensor
gabor_bank ()
{
  const int k = 7, n = 16;
  const double sigma = 1.6, lambda = 4.0, gamma = 0.6;
  at::Tensor w = at::zeros ({ n, 3, k, k }, at::kFloat);
  auto a = w.accessor<float, 4> ();
  for (int f = 0; f < n; f++)
    {
      double theta = (f / 2) * kPi / 8.0;
      double phase = (f % 2) ? kPi / 2.0 : 0.0;
      double v[7][7], mean = 0.0, norm = 0.0;
      for (int y = 0; y < k; y++)
        for (int x = 0; x < k; x++)
          {
            double dx = x - 3, dy = y - 3;
            double xr = dx * std::cos (theta) + dy * std::sin (theta);
            double yr = -dx * std::sin (theta) + dy * std::cos (theta);
            v[y][x] = std::exp (-(xr * xr + gamma * gamma * yr * yr) / (2 * sigma * sigma))
                      * std::cos (2 * kPi * xr / lambda + phase);
            mean += v[y][x];
          }
      mean /= k * k;
      for (int y = 0; y < k; y++)
        for (int x = 0; x < k; x++)
          {
            v[y][x] -= mean;
            norm += v[y][x] * v[y][x];
          }
      norm = std::sqrt (norm) * std::sqrt (3.0);
      for (int c = 0; c < 3; c++)
        for (int y = 0; y < k; y++)
          for (int x = 0; x < k; x++)
            a[f][c][y][x] = static_cast<float> (v[y][x] / norm);
    }
  return w;
}

torch::jit::Module
conv_block (const std::string &type, at::Tensor weight, at::Tensor bias,
            int stride, int pad)
{
  torch::jit::Module m ("__torch__.syncact.democnn." + type);
  m.register_parameter ("weight", weight, false);
  m.register_parameter ("bias", bias, false);
  std::string s = std::to_string (stride), p = std::to_string (pad);
  m.define ("def forward(self, x):\n"
            "    return torch.relu(torch.conv2d(x, self.weight, self.bias, ["
            + s + ", " + s + "], [" + p + ", " + p + "]))\n");
  return m;
}

} // namespace

namespace sa_torch {

torch::jit::Module
make_democnn ()
{
  torch::jit::Module conv1 = conv_block ("GaborConv2d", gabor_bank (),
                                         at::zeros ({ 16 }), 2, 3);
  torch::jit::Module conv2 = conv_block ("ConvReLU2d_2",
                                         seeded ({ 32, 16, 3, 3 }, std::sqrt (2.0 / (16 * 9)), 2),
                                         at::zeros ({ 32 }), 1, 1);
  torch::jit::Module conv3 = conv_block ("ConvReLU2d_3",
                                         seeded ({ 64, 32, 3, 3 }, std::sqrt (2.0 / (32 * 9)), 3),
                                         at::zeros ({ 64 }), 1, 1);

  torch::jit::Module fc ("__torch__.syncact.democnn.Linear");
  fc.register_parameter ("weight", seeded ({ 10, 64 }, std::sqrt (1.0 / 64), 4), false);
  fc.register_parameter ("bias", seeded ({ 10 }, 0.01, 5), false);
  fc.define ("def forward(self, x):\n"
             "    return torch.linear(x, self.weight, self.bias)\n");

  torch::jit::Module m ("__torch__.syncact.democnn.DemoCNN");
  m.register_module ("conv1", conv1);
  m.register_module ("conv2", conv2);
  m.register_module ("conv3", conv3);
  m.register_module ("fc", fc);
  m.define ("def forward(self, x):\n"
            "    x = self.conv1.forward(x)\n"
            "    x = torch.max_pool2d(x, [2, 2], [2, 2])\n"
            "    x = self.conv2.forward(x)\n"
            "    x = torch.max_pool2d(x, [2, 2], [2, 2])\n"
            "    x = self.conv3.forward(x)\n"
            "    x = torch.adaptive_avg_pool2d(x, [1, 1])\n"
            "    x = torch.flatten(x, 1)\n"
            "    return self.fc.forward(x)\n");
  m.eval ();
  return m;
}

} // namespace sa_torch
