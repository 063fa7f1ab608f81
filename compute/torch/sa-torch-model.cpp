// sa-torch-model.cpp — loading TorchScript, listing modules, tapping them.
#include "compute/torch/sa-torch-model.h"
#include "compute/torch/sa-torch-private.hpp"
#include "compute/torch/sa-torch-demo.hpp"

#include <torch/script.h>
#include <ATen/Parallel.h>
#include <torch/csrc/jit/api/function_impl.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using torch::jit::Graph;
using torch::jit::Node;
using torch::jit::Value;

struct SaTorchModel
{
  torch::jit::Module module;
  c10::Device device{c10::kCPU};
  std::vector<std::string> names;
  std::vector<std::string> types;
  std::vector<std::vector<int64_t>> shapes;
};

struct SaTorchTap
{
  SaTorchModel *model;
  std::vector<std::string> names;
  std::unique_ptr<torch::jit::GraphFunction> fn;
  std::vector<at::Tensor> outputs;
};

namespace {

// "__torch__.torchvision.models.resnet.___torch_mangle_3.BasicBlock" -> "BasicBlock"
std::string
short_type_name (const torch::jit::Module &m)
{
  auto qn = m.type ()->name ();
  if (!qn)
    return "Module";
  return qn->name ();
}

// The dotted path from the graph's `self` to @v, or nullopt when @v is not
// reached through attribute reads only.
std::optional<std::string>
module_path (Value *v, Value *self)
{
  std::vector<std::string> parts;
  while (v != self)
    {
      Node *n = v->node ();
      if (n->kind () != c10::prim::GetAttr)
        return std::nullopt;
      parts.push_back (n->s (c10::attr::name));
      v = n->input (0);
    }
  std::string out;
  for (auto it = parts.rbegin (); it != parts.rend (); ++it)
    {
      if (!out.empty ())
        out += '.';
      out += *it;
    }
  return out;
}

// TorchScript names overloaded forwards (@torch.jit._overload_method, as in
// DenseNet's _DenseLayer) "forward__0", "forward__1", ...
bool
is_forward_name (const std::string &name)
{
  if (name == "forward")
    return true;
  if (name.rfind ("forward__", 0) != 0 || name.size () == 9)
    return false;
  return name.find_first_not_of ("0123456789", 9) == std::string::npos;
}

bool
is_prefix_path (const std::string &prefix, const std::string &path)
{
  if (prefix.empty ())
    return true;
  return path.size () > prefix.size () && path.compare (0, prefix.size (), prefix) == 0
         && path[prefix.size ()] == '.';
}

void
collect_calls (torch::jit::Block *b, std::vector<Node *> &out)
{
  for (Node *n : b->nodes ())
    {
      if (n->kind () == c10::prim::CallMethod)
        out.push_back (n);
      for (torch::jit::Block *sub : n->blocks ())
        collect_calls (sub, out);
    }
}

// Clones @v right after the node that makes it, so that in-place ops later
// in the network (ReLU(inplace=True)) cannot change what we return.
Value *
clone_after (Graph &graph, Value *v)
{
  torch::jit::WithInsertPoint guard (v->node ()->next ());
  return graph.insert (c10::aten::clone, { v });
}

bool
is_tensor_value (Value *v)
{
  return v->type ()->isSubtypeOf (*c10::TensorType::get ());
}

// Inlines every method call on a module that lies on the way to one of
// @targets (a strict prefix of its path, `self` included), until none is
// left: then each target's own forward call sits in this graph. A target
// that is itself on the way to another one (tapping "features" and
// "features.0") is inlined too; its output is cloned as it is inlined and
// the clone recorded in @inlined, since the call node disappears.
void
inline_paths (Graph &graph,
              const std::vector<std::string> &targets,
              std::map<std::string, std::vector<Value *>> &inlined)
{
  Value *self = graph.inputs ()[0];
  bool changed = true;
  while (changed)
    {
      changed = false;
      std::vector<Node *> calls;
      collect_calls (graph.block (), calls);
      for (Node *n : calls)
        {
          auto path = module_path (n->input (0), self);
          if (!path)
            continue;
          bool on_way = false;
          for (const auto &t : targets)
            if (is_prefix_path (*path, t))
              on_way = true;
          if (!on_way)
            continue;
          auto cls = n->input (0)->type ()->cast<c10::ClassType> ();
          if (!cls)
            continue;
          bool is_target = is_forward_name (n->s (c10::attr::name))
                           && std::find (targets.begin (), targets.end (), *path) != targets.end ();
          auto &fn = torch::jit::toGraphFunction (cls->getMethod (n->s (c10::attr::name)));
          auto outs = torch::jit::inlineCallTo (n, &fn, /*use_graph=*/false);
          if (is_target && outs.size () == 1 && is_tensor_value (outs[0]))
            inlined[*path].push_back (clone_after (graph, outs[0]));
          else if (is_target)
            inlined[*path].push_back (nullptr);
          changed = true;
          break; // the node list changed under us
        }
    }
}

size_t
edit_distance (const std::string &a, const std::string &b)
{
  std::vector<size_t> prev (b.size () + 1), cur (b.size () + 1);
  for (size_t j = 0; j <= b.size (); j++)
    prev[j] = j;
  for (size_t i = 1; i <= a.size (); i++)
    {
      cur[0] = i;
      for (size_t j = 1; j <= b.size (); j++)
        cur[j] = std::min ({ prev[j] + 1, cur[j - 1] + 1,
                             prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1) });
      std::swap (prev, cur);
    }
  return prev[b.size ()];
}

std::string
close_matches (const SaTorchModel *model, const std::string &name)
{
  std::vector<std::pair<size_t, std::string>> scored;
  for (const auto &n : model->names)
    {
      if (n.empty ())
        continue;
      size_t d = edit_distance (name, n);
      if (n.compare (0, name.size (), name) == 0)
        d = std::min (d, (size_t) 1); // a prefix of real names: show them
      if (d <= std::max<size_t> (2, name.size () / 3))
        scored.emplace_back (d, n);
    }
  std::stable_sort (scored.begin (), scored.end (),
                    [] (const auto &x, const auto &y) { return x.first < y.first; });
  std::string out;
  for (size_t i = 0; i < scored.size () && i < 6; i++)
    out += (i ? ", " : "") + scored[i].second;
  return out;
}

// The graph that returns a tuple of clones of @targets' outputs. Targets
// that cannot be reached are reported in @missing (probe) or fail (tap).
std::shared_ptr<Graph>
build_tap_graph (SaTorchModel *model,
                 const std::vector<std::string> &targets,
                 std::vector<bool> *found)
{
  auto &method = torch::jit::toGraphFunction (model->module.get_method ("forward").function ());
  std::shared_ptr<Graph> graph = method.graph ()->copy ();
  std::map<std::string, std::vector<Value *>> inlined;
  inline_paths (*graph, targets, inlined);

  // Each target's candidate outputs: clones made while inlining, or the
  // forward calls left in the graph. The last call is what a forward hook
  // leaves, so the candidate latest in the graph wins.
  Value *self = graph->inputs ()[0];
  std::map<std::string, std::vector<Node *>> calls_of;
  std::vector<Node *> calls;
  collect_calls (graph->block (), calls);
  for (Node *n : calls)
    {
      if (!is_forward_name (n->s (c10::attr::name)))
        continue;
      auto path = module_path (n->input (0), self);
      if (path)
        calls_of[*path].push_back (n);
    }

  std::vector<Value *> outs;
  for (size_t i = 0; i < targets.size (); i++)
    {
      const std::string &t = targets[i];
      std::vector<Node *> cands;
      bool non_tensor = false;
      std::string what;
      for (Value *v : inlined[t])
        {
          if (v == nullptr)
            non_tensor = true;
          else
            cands.push_back (v->node ());
        }
      for (Node *n : calls_of[t])
        cands.push_back (n);

      Node *last = nullptr;
      bool nested = false;
      for (Node *n : cands)
        {
          if (n->owningBlock () != graph->block ())
            {
              nested = true;
              continue;
            }
          if (last == nullptr || n->isAfter (last))
            last = n;
        }
      if (last != nullptr && last->kind () == c10::prim::CallMethod)
        {
          if (last->outputs ().size () != 1 || !is_tensor_value (last->output ()))
            {
              non_tensor = true;
              what = last->outputs ().size () == 1
                       ? last->output ()->type ()->annotation_str ()
                       : std::to_string (last->outputs ().size ()) + " values";
              last = nullptr;
            }
        }
      if (found != nullptr)
        (*found)[i] = last != nullptr;
      if (last == nullptr)
        {
          if (found != nullptr)
            continue;
          if (non_tensor)
            throw std::runtime_error ("layer \"" + t + "\" returns "
                                      + (what.empty () ? std::string ("no single tensor") : what)
                                      + ", not a tensor");
          if (nested)
            throw std::runtime_error ("module \"" + t
                                      + "\" is called inside control flow (an if or a loop);"
                                        " pick the module that contains it");
          throw std::runtime_error ("module \"" + t + "\" is never called by forward()");
        }
      if (last->kind () == c10::prim::CallMethod)
        outs.push_back (clone_after (*graph, last->output ()));
      else
        outs.push_back (last->output ());
    }

  while (!graph->outputs ().empty ())
    graph->eraseOutput (0);
  Node *tuple = graph->createTuple (outs);
  graph->appendNode (tuple);
  graph->registerOutput (tuple->output ());
  torch::jit::EliminateDeadCode (graph);
  return graph;
}

std::vector<at::Tensor>
run_graph (SaTorchModel *model, torch::jit::GraphFunction &fn, const at::Tensor &x)
{
  torch::NoGradGuard no_grad;
  torch::jit::Stack stack{ model->module._ivalue (), x.to (model->device) };
  fn.run (stack);
  auto elems = stack.at (0).toTuple ()->elements ();
  std::vector<at::Tensor> out;
  for (size_t i = 0; i < elems.size (); i++)
    {
      if (!elems[i].isTensor ())
        {
          out.emplace_back ();
          continue;
        }
      out.push_back (elems[i].toTensor ());
    }
  return out;
}

std::string
size_text (int64_t w, int64_t h)
{
  return std::to_string (w) + "x" + std::to_string (h);
}

} // namespace

extern "C" const char *const *
sa_torch_builtin_names (void)
{
  static const char *const names[] = { "democnn", nullptr };
  return names;
}

extern "C" SaTorchStatus
sa_torch_model_load (const char    *path,
                     const char    *device,
                     SaTorchModel **out,
                     char         **error_message)
{
  if (path == nullptr || out == nullptr)
    return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT, "no model path");
  *out = nullptr;
  SA_TORCH_TRY
    {
      auto model = std::make_unique<SaTorchModel> ();
      std::string dev = (device != nullptr && *device) ? device : "cpu";
      try
        {
          model->device = c10::Device (dev);
        }
      catch (const std::exception &)
        {
          return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT,
                                 ("unknown device \"" + dev + "\" (use cpu, cuda or cuda:N)").c_str ());
        }
      if (model->device.is_cuda () && !(at::hasCUDA () && at::getNumGPUs () > 0))
        return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT,
                               ("device \"" + dev + "\" asked for, but this libtorch has no CUDA").c_str ());
      if (!model->device.is_cpu () && !model->device.is_cuda ())
        return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT,
                               ("unsupported device \"" + dev + "\" (use cpu, cuda or cuda:N)").c_str ());

      std::string p = path;
      if (p.rfind (SA_TORCH_BUILTIN_PREFIX, 0) == 0)
        {
          std::string name = p.substr (std::strlen (SA_TORCH_BUILTIN_PREFIX));
          if (name != "democnn")
            return sa_torch::fail (error_message, SA_TORCH_NOT_FOUND,
                                   ("no built-in model \"" + name + "\" (built-in: democnn)").c_str ());
          model->module = sa_torch::make_democnn ();
          model->module.to (model->device);
        }
      else
        {
          try
            {
              model->module = torch::jit::load (p, model->device);
            }
          catch (const std::exception &e)
            {
              std::string what = e.what ();
              // libtorch's messages carry a C++ backtrace; the first line says it.
              what = what.substr (0, what.find ('\n'));
              return sa_torch::fail (error_message, SA_TORCH_ERROR,
                                     ("not a TorchScript model (" + what + ")").c_str ());
            }
        }
      model->module.eval ();
      if (model->module.find_method ("forward") == c10::nullopt)
        return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT,
                               "the TorchScript module has no forward() method");

      for (const auto &nm : model->module.named_modules ())
        {
          model->names.push_back (nm.name);
          model->types.push_back (short_type_name (nm.value));
        }
      model->shapes.resize (model->names.size ());
      *out = model.release ();
      return SA_TORCH_OK;
    }
  SA_TORCH_CATCH (error_message)
}

extern "C" void
sa_torch_model_free (SaTorchModel *model)
{
  delete model;
}

extern "C" SaTorchStatus
sa_torch_model_save (SaTorchModel *model,
                     const char   *path,
                     char        **error_message)
{
  if (model == nullptr || path == nullptr)
    return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT, "no model or path");
  SA_TORCH_TRY
    {
      model->module.save (path);
      return SA_TORCH_OK;
    }
  SA_TORCH_CATCH (error_message)
}

extern "C" size_t
sa_torch_model_n_modules (SaTorchModel *model)
{
  return model != nullptr ? model->names.size () : 0;
}

extern "C" const char *
sa_torch_model_module_name (SaTorchModel *model,
                            size_t        i)
{
  if (model == nullptr || i >= model->names.size ())
    return nullptr;
  return model->names[i].c_str ();
}

extern "C" const char *
sa_torch_model_module_type (SaTorchModel *model,
                            size_t        i)
{
  if (model == nullptr || i >= model->types.size ())
    return nullptr;
  return model->types[i].c_str ();
}

extern "C" SaTorchStatus
sa_torch_model_probe (SaTorchModel *model,
                      int           width,
                      int           height,
                      char        **error_message)
{
  if (model == nullptr || width <= 0 || height <= 0)
    return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT, "probe: bad model or size");
  SA_TORCH_TRY
    {
      std::vector<std::string> targets (model->names.begin () + 1, model->names.end ());
      std::vector<bool> found (targets.size ());
      auto graph = build_tap_graph (model, targets, &found);
      torch::jit::GraphFunction fn ("sa_probe", graph, nullptr);
      std::vector<at::Tensor> outs;
      try
        {
          outs = run_graph (model, fn, at::zeros ({ 1, 3, height, width }));
        }
      catch (const std::exception &e)
        {
          std::string what = e.what ();
          what = what.substr (0, what.find ('\n'));
          return sa_torch::fail (error_message, SA_TORCH_ERROR,
                                 ("the model fails on a " + size_text (width, height)
                                  + " input (" + what + ")").c_str ());
        }
      model->shapes.assign (model->names.size (), {});
      for (size_t i = 0, k = 0; i < targets.size (); i++)
        {
          if (!found[i])
            continue;
          const at::Tensor &t = outs[k++];
          if (t.defined () && t.dim () <= SA_TORCH_MAX_DIMS)
            model->shapes[i + 1] = t.sizes ().vec ();
        }
      return SA_TORCH_OK;
    }
  SA_TORCH_CATCH (error_message)
}

extern "C" int
sa_torch_model_module_shape (SaTorchModel *model,
                             size_t        i,
                             int64_t       shape[SA_TORCH_MAX_DIMS])
{
  if (model == nullptr || i >= model->shapes.size ())
    return 0;
  const auto &s = model->shapes[i];
  for (size_t d = 0; d < s.size (); d++)
    shape[d] = s[d];
  return static_cast<int> (s.size ());
}

extern "C" SaTorchStatus
sa_torch_tap_new (SaTorchModel       *model,
                  const char *const  *names,
                  size_t              n_names,
                  SaTorchTap        **out,
                  char              **error_message)
{
  if (model == nullptr || names == nullptr || n_names == 0 || out == nullptr)
    return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT, "tap: no model or no layer");
  *out = nullptr;
  SA_TORCH_TRY
    {
      auto tap = std::make_unique<SaTorchTap> ();
      tap->model = model;
      for (size_t i = 0; i < n_names; i++)
        {
          std::string name = names[i];
          if (name.empty () || std::find (model->names.begin (), model->names.end (), name)
                                   == model->names.end ())
            {
              std::string msg = "no layer \"" + name + "\" in the model";
              if (model->names.size () <= 1)
                return sa_torch::fail (error_message, SA_TORCH_NOT_FOUND,
                                       (msg + ": it has no submodules (frozen with"
                                              " torch.jit.freeze?); export it without freezing").c_str ());
              std::string close = close_matches (model, name);
              msg += close.empty () ? " (see `syncact layers` for the names)"
                                    : " (close matches: " + close + ")";
              return sa_torch::fail (error_message, SA_TORCH_NOT_FOUND, msg.c_str ());
            }
          tap->names.push_back (name);
        }
      try
        {
          auto graph = build_tap_graph (model, tap->names, nullptr);
          tap->fn = std::make_unique<torch::jit::GraphFunction> ("sa_tap", graph, nullptr);
        }
      catch (const std::runtime_error &e)
        {
          return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT, e.what ());
        }
      *out = tap.release ();
      return SA_TORCH_OK;
    }
  SA_TORCH_CATCH (error_message)
}

extern "C" void
sa_torch_tap_free (SaTorchTap *tap)
{
  delete tap;
}

extern "C" SaTorchStatus
sa_torch_tap_run (SaTorchTap  *tap,
                  const float *input,
                  int64_t      n,
                  int64_t      height,
                  int64_t      width,
                  char       **error_message)
{
  if (tap == nullptr || input == nullptr || n <= 0 || height <= 0 || width <= 0)
    return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT, "tap run: bad input");
  SA_TORCH_TRY
    {
      at::Tensor x = at::from_blob (const_cast<float *> (input), { n, 3, height, width },
                                    at::TensorOptions ().dtype (at::kFloat));
      std::vector<at::Tensor> outs;
      tap->outputs.clear ();
      try
        {
          outs = run_graph (tap->model, *tap->fn, x);
        }
      catch (const std::exception &e)
        {
          std::string what = e.what ();
          what = what.substr (0, what.find ('\n'));
          return sa_torch::fail (error_message, SA_TORCH_ERROR,
                                 ("the model fails on a " + size_text (width, height)
                                  + " input (" + what + ")").c_str ());
        }
      for (size_t i = 0; i < outs.size (); i++)
        {
          if (!outs[i].defined ())
            return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT,
                                   ("layer \"" + tap->names[i]
                                    + "\" does not return a tensor").c_str ());
          if (outs[i].dim () > SA_TORCH_MAX_DIMS)
            return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT,
                                   ("layer \"" + tap->names[i] + "\" returns a "
                                    + std::to_string (outs[i].dim ()) + "D tensor").c_str ());
          tap->outputs.push_back (outs[i].to (at::kCPU, at::kFloat).contiguous ());
        }
      return SA_TORCH_OK;
    }
  SA_TORCH_CATCH (error_message)
}

extern "C" int
sa_torch_tap_output (SaTorchTap    *tap,
                     size_t         i,
                     const float  **data,
                     int64_t        shape[SA_TORCH_MAX_DIMS])
{
  if (tap == nullptr || i >= tap->outputs.size ())
    return 0;
  const at::Tensor &t = tap->outputs[i];
  *data = t.data_ptr<float> ();
  for (int64_t d = 0; d < t.dim (); d++)
    shape[d] = t.size (d);
  return static_cast<int> (t.dim ());
}

extern "C" void
sa_torch_set_num_threads (int n)
{
  if (n > 0)
    at::set_num_threads (n);
}

extern "C" int
sa_torch_get_num_threads (void)
{
  return at::get_num_threads ();
}
