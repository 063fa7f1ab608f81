// sa-torch-embed.cpp — Sync-ACT's fMRI encoder–decoder, trained with Adam.
// The only shim file on <torch/torch.h> (nn modules and optimisers live
// there); the rest of the shim stays on ATen to keep builds short.
#include "compute/torch/sa-torch-embed.h"
#include "compute/torch/sa-torch-private.hpp"

#include <torch/torch.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

namespace {

// torch::manual_seed sets a process-wide generator: two models created at
// once on two threads would otherwise draw from each other's sequence.
std::mutex seed_lock;

struct EmbedNetImpl : torch::nn::Module
{
  SaTorchEmbedArch arch;
  torch::nn::Linear enc{nullptr};
  torch::nn::Linear dec{nullptr};
  torch::nn::LSTM lstm_enc{nullptr};
  torch::nn::LSTM lstm_dec{nullptr};
  torch::nn::MultiheadAttention msa_enc{nullptr};
  torch::nn::MultiheadAttention msa_dec{nullptr};

  EmbedNetImpl (int64_t n, int64_t m, SaTorchEmbedArch a, int heads)
    : arch (a)
  {
    // z-scored input: a bias would only add a constant map to every FBN.
    enc = register_module ("enc",
                           torch::nn::Linear (torch::nn::LinearOptions (n, m).bias (false)));
    if (arch == SA_TORCH_EMBED_LSTM)
      {
        auto opts = torch::nn::LSTMOptions (m, m).num_layers (2).batch_first (true);
        lstm_enc = register_module ("lstm_enc", torch::nn::LSTM (opts));
        lstm_dec = register_module ("lstm_dec", torch::nn::LSTM (opts));
      }
    else if (arch == SA_TORCH_EMBED_MSA)
      {
        auto opts = torch::nn::MultiheadAttentionOptions (m, heads);
        msa_enc = register_module ("msa_enc", torch::nn::MultiheadAttention (opts));
        msa_dec = register_module ("msa_dec", torch::nn::MultiheadAttention (opts));
      }
    dec = register_module ("dec", torch::nn::Linear (m, n));
  }

  // x: B × T × m
  torch::Tensor
  temporal (const torch::Tensor &x, bool decoder)
  {
    switch (arch)
      {
      case SA_TORCH_EMBED_LSTM:
        // Deviation from the paper (LT + two tanh LSTM layers), as for msa:
        // a residual around the LSTM. Without it the FBN courses are the
        // LSTM's tanh-bounded, history-dependent output, which is not a
        // linear image of S·W; on planted data the worst source's R² stayed
        // at 0.51-0.74 against 0.90-0.95 for lt and msa. With the skip the
        // LSTM refines S·W over time instead of having to carry it.
        return x + std::get<0> ((decoder ? lstm_dec : lstm_enc)->forward (x));
      case SA_TORCH_EMBED_MSA:
        {
          // libtorch's MultiheadAttention has no batch_first: T × B × E.
          auto q = x.transpose (0, 1);
          auto &msa = decoder ? msa_dec : msa_enc;
          auto out = std::get<0> (msa->forward (q, q, q, torch::Tensor (), false));
          // The residual of a Transformer block: the module refines S·W over
          // time instead of having to carry it through attention alone.
          return x + out.transpose (0, 1);
        }
      case SA_TORCH_EMBED_LT:
      default:
        return x;
      }
  }

  torch::Tensor
  encode (const torch::Tensor &s)
  {
    return temporal (enc->forward (s), false);
  }

  torch::Tensor
  forward (const torch::Tensor &s)
  {
    return dec->forward (temporal (encode (s), true));
  }
};
TORCH_MODULE (EmbedNet);

} // namespace

struct SaTorchEmbed
{
  int64_t n;
  int64_t m;
  SaTorchEmbedArch arch;
  int heads;
  double l1;
  torch::Device device{torch::kCPU};
  std::string device_name;
  EmbedNet net{nullptr};
  std::unique_ptr<torch::optim::Adam> adam;
  std::vector<torch::Tensor> best;
};

static bool
pick_device (const char *name, torch::Device *device, std::string *label, char **error_message)
{
  bool cuda = torch::cuda::is_available ();
  if (name == nullptr || std::strcmp (name, "auto") == 0)
    *device = cuda ? torch::Device (torch::kCUDA, 0) : torch::Device (torch::kCPU);
  else if (std::strcmp (name, "cpu") == 0)
    *device = torch::Device (torch::kCPU);
  else if (std::strncmp (name, "cuda", 4) == 0)
    {
      // "cuda" or "cuda:N", as the ANN side takes them.
      int index = 0;
      if (name[4] == ':')
        index = std::atoi (name + 5);
      else if (name[4] != '\0')
        index = -1;
      if (!cuda || index < 0 || index >= int (torch::cuda::device_count ()))
        {
          std::string msg = std::string ("device ") + name
                            + " asked for, but this libtorch sees no such CUDA device";
          sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT, msg.c_str ());
          return false;
        }
      *device = torch::Device (torch::kCUDA, static_cast<c10::DeviceIndex> (index));
    }
  else
    {
      std::string msg = std::string ("unknown device \"") + name + "\" (cpu, cuda, cuda:N or auto)";
      sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT, msg.c_str ());
      return false;
    }
  *label = device->str ();
  return true;
}

extern "C" SaTorchStatus
sa_torch_embed_new (const SaTorchEmbedConfig *config,
                    SaTorchEmbed            **out,
                    char                    **error_message)
{
  if (config == nullptr || out == nullptr)
    return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT, "embed: null argument");
  *out = nullptr;
  if (config->n_voxels <= 0 || config->m <= 0)
    return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT,
                           "embed: voxel and FBN counts must be positive");
  if (config->arch < SA_TORCH_EMBED_LT || config->arch > SA_TORCH_EMBED_MSA)
    return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT,
                           "embed: unknown architecture");
  if (config->arch == SA_TORCH_EMBED_MSA
      && (config->heads <= 0 || config->m % config->heads != 0))
    return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT,
                           "embed: the number of attention heads must divide the number of FBNs");
  if (!(config->lr > 0) || !(config->l1 >= 0))
    return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT,
                           "embed: learning rate must be positive and L1 weight non-negative");
  SA_TORCH_TRY
    {
      auto model = std::make_unique<SaTorchEmbed> ();
      if (!pick_device (config->device, &model->device, &model->device_name, error_message))
        return SA_TORCH_INVALID_ARGUMENT;
      model->n = config->n_voxels;
      model->m = config->m;
      model->arch = config->arch;
      model->heads = config->heads;
      model->l1 = config->l1;
      {
        // Built on the CPU so that one seed gives one model on every device.
        std::lock_guard<std::mutex> guard (seed_lock);
        torch::manual_seed (config->seed);
        model->net = EmbedNet (config->n_voxels, config->m, config->arch, config->heads);
      }
      model->net->to (model->device);
      model->adam = std::make_unique<torch::optim::Adam> (
          model->net->parameters (),
          torch::optim::AdamOptions (config->lr).betas (std::make_tuple (0.9, 0.999)));
      *out = model.release ();
      return SA_TORCH_OK;
    }
  SA_TORCH_CATCH (error_message)
}

extern "C" void
sa_torch_embed_free (SaTorchEmbed *model)
{
  try
    {
      delete model;
    }
  catch (...)
    {
    }
}

extern "C" const char *
sa_torch_embed_device (SaTorchEmbed *model)
{
  return model != nullptr ? model->device_name.c_str () : "";
}

extern "C" SaTorchStatus
sa_torch_embed_set_lr (SaTorchEmbed *model, double lr, char **error_message)
{
  if (model == nullptr || !(lr > 0))
    return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT,
                           "embed: learning rate must be positive");
  SA_TORCH_TRY
    {
      for (auto &group : model->adam->param_groups ())
        static_cast<torch::optim::AdamOptions &> (group.options ()).lr (lr);
      return SA_TORCH_OK;
    }
  SA_TORCH_CATCH (error_message)
}

extern "C" SaTorchStatus
sa_torch_embed_set_l1 (SaTorchEmbed *model, double l1, char **error_message)
{
  if (model == nullptr || !(l1 >= 0))
    return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT,
                           "embed: L1 weight must be non-negative");
  model->l1 = l1;
  return SA_TORCH_OK;
}

static bool
check_batch (SaTorchEmbed *model, const void *data, int64_t b, int64_t t, char **error_message)
{
  if (model == nullptr || data == nullptr || b <= 0 || t <= 0)
    {
      sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT,
                      "embed: null buffer or non-positive batch size or length");
      return false;
    }
  return true;
}

static torch::Tensor
wrap (SaTorchEmbed *model, const float *data, int64_t b, int64_t t)
{
  auto cpu = torch::from_blob (const_cast<float *> (data), {b, t, model->n},
                               torch::TensorOptions ().dtype (torch::kFloat));
  return model->device.is_cpu () ? cpu : cpu.to (model->device);
}

extern "C" SaTorchStatus
sa_torch_embed_train_step (SaTorchEmbed *model,
                           const float  *batch,
                           int64_t       b,
                           int64_t       t,
                           double       *mse,
                           char        **error_message)
{
  if (!check_batch (model, batch, b, t, error_message))
    return SA_TORCH_INVALID_ARGUMENT;
  SA_TORCH_TRY
    {
      model->net->train ();
      auto x = wrap (model, batch, b, t);
      model->adam->zero_grad ();
      auto rec = torch::mse_loss (model->net->forward (x), x);
      auto loss = rec;
      if (model->l1 > 0)
        loss = loss + model->l1 * model->net->enc->weight.abs ().sum () / double (model->n);
      double value = rec.item<double> ();
      if (!std::isfinite (value) || !std::isfinite (loss.item<double> ()))
        return sa_torch::fail (error_message, SA_TORCH_ERROR,
                               "embed: training diverged (the loss is not finite); "
                               "try a smaller learning rate");
      loss.backward ();
      model->adam->step ();
      if (mse != nullptr)
        *mse = value;
      return SA_TORCH_OK;
    }
  SA_TORCH_CATCH (error_message)
}

extern "C" SaTorchStatus
sa_torch_embed_eval_loss (SaTorchEmbed *model,
                          const float  *batch,
                          int64_t       b,
                          int64_t       t,
                          double       *mse,
                          char        **error_message)
{
  if (!check_batch (model, batch, b, t, error_message) || mse == nullptr)
    return SA_TORCH_INVALID_ARGUMENT;
  SA_TORCH_TRY
    {
      torch::NoGradGuard no_grad;
      model->net->eval ();
      auto x = wrap (model, batch, b, t);
      *mse = torch::mse_loss (model->net->forward (x), x).item<double> ();
      return SA_TORCH_OK;
    }
  SA_TORCH_CATCH (error_message)
}

static void
copy_out (const torch::Tensor &tensor, float *out)
{
  auto cpu = tensor.detach ().to (torch::kCPU).contiguous ();
  std::memcpy (out, cpu.data_ptr<float> (), sizeof (float) * size_t (cpu.numel ()));
}

extern "C" SaTorchStatus
sa_torch_embed_encode (SaTorchEmbed *model,
                       const float  *s,
                       int64_t       t,
                       float        *l,
                       char        **error_message)
{
  if (!check_batch (model, s, 1, t, error_message) || l == nullptr)
    return SA_TORCH_INVALID_ARGUMENT;
  SA_TORCH_TRY
    {
      torch::NoGradGuard no_grad;
      model->net->eval ();
      copy_out (model->net->encode (wrap (model, s, 1, t))[0], l);
      return SA_TORCH_OK;
    }
  SA_TORCH_CATCH (error_message)
}

extern "C" SaTorchStatus
sa_torch_embed_reconstruct (SaTorchEmbed *model,
                            const float  *s,
                            int64_t       t,
                            float        *out,
                            char        **error_message)
{
  if (!check_batch (model, s, 1, t, error_message) || out == nullptr)
    return SA_TORCH_INVALID_ARGUMENT;
  SA_TORCH_TRY
    {
      torch::NoGradGuard no_grad;
      model->net->eval ();
      copy_out (model->net->forward (wrap (model, s, 1, t))[0], out);
      return SA_TORCH_OK;
    }
  SA_TORCH_CATCH (error_message)
}

extern "C" SaTorchStatus
sa_torch_embed_get_w (SaTorchEmbed *model, float *w, char **error_message)
{
  if (model == nullptr || w == nullptr)
    return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT, "embed: null argument");
  SA_TORCH_TRY
    {
      // torch keeps Linear weights as m × n; W is its transpose.
      copy_out (model->net->enc->weight.t (), w);
      return SA_TORCH_OK;
    }
  SA_TORCH_CATCH (error_message)
}

extern "C" SaTorchStatus
sa_torch_embed_set_w (SaTorchEmbed *model, const float *w, char **error_message)
{
  if (model == nullptr || w == nullptr)
    return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT, "embed: null argument");
  SA_TORCH_TRY
    {
      torch::NoGradGuard no_grad;
      auto src = torch::from_blob (const_cast<float *> (w), {model->n, model->m},
                                   torch::TensorOptions ().dtype (torch::kFloat));
      model->net->enc->weight.copy_ (src.t ());
      return SA_TORCH_OK;
    }
  SA_TORCH_CATCH (error_message)
}

extern "C" SaTorchStatus
sa_torch_embed_keep_best (SaTorchEmbed *model, char **error_message)
{
  if (model == nullptr)
    return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT, "embed: null argument");
  SA_TORCH_TRY
    {
      std::vector<torch::Tensor> copy;
      for (const auto &p : model->net->parameters ())
        copy.push_back (p.detach ().clone ());
      model->best = std::move (copy);
      return SA_TORCH_OK;
    }
  SA_TORCH_CATCH (error_message)
}

extern "C" SaTorchStatus
sa_torch_embed_use_best (SaTorchEmbed *model, char **error_message)
{
  if (model == nullptr || model->best.empty ())
    return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT,
                           "embed: no best weights kept");
  SA_TORCH_TRY
    {
      torch::NoGradGuard no_grad;
      auto params = model->net->parameters ();
      for (size_t i = 0; i < params.size (); i++)
        params[i].copy_ (model->best[i]);
      return SA_TORCH_OK;
    }
  SA_TORCH_CATCH (error_message)
}

static torch::Tensor
shape_tag (SaTorchEmbed *model)
{
  return torch::tensor ({model->n, model->m, int64_t (model->arch), int64_t (model->heads)},
                        torch::kLong);
}

extern "C" SaTorchStatus
sa_torch_embed_save_state (SaTorchEmbed *model,
                           void        **data,
                           size_t       *size,
                           char        **error_message)
{
  if (model == nullptr || data == nullptr || size == nullptr)
    return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT, "embed: null argument");
  SA_TORCH_TRY
    {
      torch::serialize::OutputArchive archive;
      archive.write ("shape", shape_tag (model));
      model->net->save (archive);
      torch::serialize::OutputArchive adam;
      model->adam->save (adam);
      archive.write ("adam", adam);
      if (!model->best.empty ())
        {
          torch::serialize::OutputArchive best;
          for (size_t i = 0; i < model->best.size (); i++)
            best.write (std::to_string (i), model->best[i]);
          archive.write ("best", best);
        }
      std::ostringstream stream;
      archive.save_to (stream);
      std::string bytes = stream.str ();
      void *buf = std::malloc (bytes.size ());
      if (buf == nullptr)
        return sa_torch::fail (error_message, SA_TORCH_ERROR, "embed: out of memory");
      std::memcpy (buf, bytes.data (), bytes.size ());
      *data = buf;
      *size = bytes.size ();
      return SA_TORCH_OK;
    }
  SA_TORCH_CATCH (error_message)
}

extern "C" SaTorchStatus
sa_torch_embed_load_state (SaTorchEmbed *model,
                           const void   *data,
                           size_t        size,
                           char        **error_message)
{
  if (model == nullptr || data == nullptr || size == 0)
    return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT, "embed: empty state");
  SA_TORCH_TRY
    {
      torch::serialize::InputArchive archive;
      archive.load_from (static_cast<const char *> (data), size, model->device);
      torch::Tensor shape;
      archive.read ("shape", shape);
      // InputArchive::read resizes parameters to whatever it reads, so a
      // state of another shape must be refused before it gets there.
      if (!shape.defined () || !torch::equal (shape.to (torch::kCPU), shape_tag (model)))
        return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT,
                               "embed: saved state is for a model of another size or architecture");
      model->net->load (archive);
      torch::serialize::InputArchive adam;
      archive.read ("adam", adam);
      model->adam->load (adam);
      torch::serialize::InputArchive best_archive;
      std::vector<torch::Tensor> best;
      if (archive.try_read ("best", best_archive))
        for (size_t i = 0; i < model->net->parameters ().size (); i++)
          {
            torch::Tensor t;
            best_archive.read (std::to_string (i), t);
            best.push_back (t.to (model->device));
          }
      model->best = std::move (best);
      return SA_TORCH_OK;
    }
  SA_TORCH_CATCH (error_message)
}
