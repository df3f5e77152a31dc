#!/usr/bin/env python3
"""Eager PyTorch reference for ptinv's speed measurements (docs/gpu.md): the same work as `ptinv bench speed`.

A plain PyTorch SD v1 stack written for this comparison (module names as in diffusers' checkpoints, so a diffusers
folder's safetensors load into it unchanged; attention through torch's scaled_dot_product_attention, as diffusers'
default processor does), the DDIM schedule, DDIM inversion, PTI's per-timestep tuning and the edit as ptinv runs them.
Needs only torch (no diffusers, which the GPU machine lacks).

  reference_sd.py check GOLDEN_DIR
      proves the stack is SD v1's: the golden reference rows (text encoder, VAE, UNet, DDIM, the PTI SGD run) from
      GOLDEN_DIR/tiny-sd, with the golden tolerances; exit 1 on a miss
  reference_sd.py bench --config-dir DIR [--device cuda] [--dtype fp16] [--size 512] [--steps 50] [--repeats 3]
                  [--methods ddim,pti,pti5,nti] [-o speed-reference.json]
      random weights with DIR's unet/vae/text_encoder configs (e.g. golden/sd-v1); per stage (encode, invert, tune,
      edit, decode) the median of --repeats after one warm-up, and the CUDA allocator's peak
"""
import argparse
import json
import math
import statistics
import struct
import sys
import time
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64}


def read_safetensors(path):
    data = Path(path).read_bytes()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for key, meta in header.items():
        if key == "__metadata__":
            continue
        start, end = meta["data_offsets"]
        raw = bytearray(data[8 + n + start:8 + n + end])
        out[key] = torch.frombuffer(raw, dtype=DTYPES[meta["dtype"]]).reshape(meta["shape"]) if raw else \
            torch.empty(meta["shape"], dtype=DTYPES[meta["dtype"]])
    return out


# ------------------------------------------------------------------------------------------------ building blocks

class Resnet(nn.Module):
    def __init__(self, cin, cout, temb, groups, eps):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin, eps)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.time_emb_proj = nn.Linear(temb, cout) if temb else None
        self.norm2 = nn.GroupNorm(groups, cout, eps)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.conv_shortcut = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x, temb=None):
        h = self.conv1(F.silu(self.norm1(x)))
        if self.time_emb_proj is not None:
            h = h + self.time_emb_proj(F.silu(temb))[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return (x if self.conv_shortcut is None else self.conv_shortcut(x)) + h


class Attention(nn.Module):
    """The UNet's multi-head attention over [B, L, C] (self-attention, or cross-attention to a context)."""

    def __init__(self, dim, context_dim, heads, bias=False):
        super().__init__()
        self.heads = heads
        self.to_q = nn.Linear(dim, dim, bias=bias)
        self.to_k = nn.Linear(context_dim, dim, bias=bias)
        self.to_v = nn.Linear(context_dim, dim, bias=bias)
        self.to_out = nn.ModuleList([nn.Linear(dim, dim), nn.Identity()])

    def forward(self, x, context=None):
        context = x if context is None else context
        b, lq, c = x.shape
        split = lambda t: t.reshape(b, -1, self.heads, c // self.heads).transpose(1, 2)
        h = F.scaled_dot_product_attention(split(self.to_q(x)), split(self.to_k(context)), split(self.to_v(context)))
        return self.to_out[0](h.transpose(1, 2).reshape(b, lq, c))


class GEGLU(nn.Module):
    def __init__(self, dim, inner):
        super().__init__()
        self.proj = nn.Linear(dim, inner * 2)

    def forward(self, x):
        a, gate = self.proj(x).chunk(2, dim=-1)
        return a * F.gelu(gate)


class TransformerBlock(nn.Module):
    def __init__(self, dim, context_dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn1 = Attention(dim, dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.attn2 = Attention(dim, context_dim, heads)
        self.norm3 = nn.LayerNorm(dim)
        self.ff = nn.Module()
        self.ff.net = nn.ModuleList([GEGLU(dim, dim * 4), nn.Identity(), nn.Linear(dim * 4, dim)])

    def forward(self, x, context):
        x = self.attn1(self.norm1(x)) + x
        x = self.attn2(self.norm2(x), context) + x
        return self.ff.net[2](self.ff.net[0](self.norm3(x))) + x


class Transformer2D(nn.Module):
    def __init__(self, channels, context_dim, heads, groups, linear_projection):
        super().__init__()
        self.norm = nn.GroupNorm(groups, channels, 1e-6)
        proj = (lambda: nn.Linear(channels, channels)) if linear_projection else (lambda: nn.Conv2d(channels, channels, 1))
        self.linear = linear_projection
        self.proj_in = proj()
        self.transformer_blocks = nn.ModuleList([TransformerBlock(channels, context_dim, heads)])
        self.proj_out = proj()

    def forward(self, x, context):
        b, c, h, w = x.shape
        y = self.norm(x)
        if not self.linear:
            y = self.proj_in(y)
        y = y.permute(0, 2, 3, 1).reshape(b, h * w, c)
        if self.linear:
            y = self.proj_in(y)
        y = self.transformer_blocks[0](y, context)
        if self.linear:
            y = self.proj_out(y)
        y = y.reshape(b, h, w, c).permute(0, 3, 1, 2)
        if not self.linear:
            y = self.proj_out(y)
        return y + x


class Downsample(nn.Module):
    def __init__(self, channels, padding):
        super().__init__()
        self.padding = padding
        self.conv = nn.Conv2d(channels, channels, 3, stride=2, padding=padding)

    def forward(self, x):
        return self.conv(F.pad(x, (0, 1, 0, 1)) if self.padding == 0 else x)


class Upsample(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


# ----------------------------------------------------------------------------------------------------------- UNet

class UNet(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        boc = cfg["block_out_channels"]
        layers = cfg["layers_per_block"]
        groups, eps = cfg.get("norm_num_groups", 32), cfg.get("norm_eps", 1e-5)
        ctx = cfg["cross_attention_dim"]
        heads = cfg.get("num_attention_heads") or cfg["attention_head_dim"]
        heads = heads if isinstance(heads, list) else [heads] * len(boc)
        linear = cfg.get("use_linear_projection", False)
        self.flip, self.shift, self.tdim = cfg.get("flip_sin_to_cos", True), cfg.get("freq_shift", 0), boc[0]
        temb = boc[0] * 4
        self.conv_in = nn.Conv2d(cfg["in_channels"], boc[0], 3, padding=1)
        self.time_embedding = nn.Module()
        self.time_embedding.linear_1 = nn.Linear(boc[0], temb)
        self.time_embedding.linear_2 = nn.Linear(temb, temb)
        self.down_blocks = nn.ModuleList()
        out = boc[0]
        for i, kind in enumerate(cfg["down_block_types"]):
            cin, out = out, boc[i]
            block = nn.Module()
            block.resnets = nn.ModuleList([Resnet(cin if j == 0 else out, out, temb, groups, eps) for j in range(layers)])
            block.attentions = nn.ModuleList([Transformer2D(out, ctx, heads[i], groups, linear) for _ in range(layers)]) \
                if kind.startswith("CrossAttn") else None
            block.downsamplers = nn.ModuleList([Downsample(out, cfg.get("downsample_padding", 1))]) \
                if i < len(boc) - 1 else None
            self.down_blocks.append(block)
        self.mid_block = nn.Module()
        self.mid_block.resnets = nn.ModuleList([Resnet(boc[-1], boc[-1], temb, groups, eps) for _ in range(2)])
        self.mid_block.attentions = nn.ModuleList([Transformer2D(boc[-1], ctx, heads[-1], groups, linear)])
        self.up_blocks = nn.ModuleList()
        rev, rheads = list(reversed(boc)), list(reversed(heads))
        prev = rev[0]
        for i, kind in enumerate(cfg["up_block_types"]):
            out, cin = rev[i], rev[min(i + 1, len(boc) - 1)]
            block = nn.Module()
            block.resnets = nn.ModuleList([
                Resnet((prev if j == 0 else out) + (cin if j == layers else out), out, temb, groups, eps)
                for j in range(layers + 1)])
            block.attentions = nn.ModuleList([Transformer2D(out, ctx, rheads[i], groups, linear)
                                              for _ in range(layers + 1)]) if kind.startswith("CrossAttn") else None
            block.upsamplers = nn.ModuleList([Upsample(out)]) if i < len(boc) - 1 else None
            self.up_blocks.append(block)
            prev = out
        self.conv_norm_out = nn.GroupNorm(groups, boc[0], eps)
        self.conv_out = nn.Conv2d(boc[0], cfg["out_channels"], 3, padding=1)

    def time_features(self, t, n, device):
        half = self.tdim // 2
        freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32, device=device) / (half - self.shift))
        args = torch.full((n,), float(t), device=device)[:, None] * freqs[None]
        emb = torch.cat([torch.sin(args), torch.cos(args)], dim=-1)
        return torch.cat([emb[:, half:], emb[:, :half]], dim=-1) if self.flip else emb

    def forward(self, x, t, context):
        temb = self.time_features(t, x.shape[0], x.device).to(x.dtype)
        temb = self.time_embedding.linear_2(F.silu(self.time_embedding.linear_1(temb)))
        h = self.conv_in(x)
        skips = [h]
        for block in self.down_blocks:
            for j, resnet in enumerate(block.resnets):
                h = resnet(h, temb)
                if block.attentions is not None:
                    h = block.attentions[j](h, context)
                skips.append(h)
            if block.downsamplers is not None:
                h = block.downsamplers[0](h)
                skips.append(h)
        h = self.mid_block.resnets[0](h, temb)
        h = self.mid_block.attentions[0](h, context)
        h = self.mid_block.resnets[1](h, temb)
        for block in self.up_blocks:
            for j, resnet in enumerate(block.resnets):
                h = resnet(torch.cat([h, skips.pop()], dim=1), temb)
                if block.attentions is not None:
                    h = block.attentions[j](h, context)
            if block.upsamplers is not None:
                h = block.upsamplers[0](h)
        return self.conv_out(F.silu(self.conv_norm_out(h)))


# ------------------------------------------------------------------------------------------------------------ VAE

class VaeAttention(nn.Module):
    """The VAE's single-head self-attention over the pixels, with its own group norm and biased projections."""

    def __init__(self, channels, groups):
        super().__init__()
        self.group_norm = nn.GroupNorm(groups, channels, 1e-6)
        self.to_q = nn.Linear(channels, channels)
        self.to_k = nn.Linear(channels, channels)
        self.to_v = nn.Linear(channels, channels)
        self.to_out = nn.ModuleList([nn.Linear(channels, channels), nn.Identity()])

    def forward(self, x):
        b, c, h, w = x.shape
        y = self.group_norm(x).reshape(b, c, h * w).transpose(1, 2)[:, None]
        y = F.scaled_dot_product_attention(self.to_q(y), self.to_k(y), self.to_v(y))[:, 0]
        return self.to_out[0](y).transpose(1, 2).reshape(b, c, h, w) + x


def vae_mid(channels, groups):
    mid = nn.Module()
    mid.resnets = nn.ModuleList([Resnet(channels, channels, 0, groups, 1e-6) for _ in range(2)])
    mid.attentions = nn.ModuleList([VaeAttention(channels, groups)])
    return mid


def run_mid(mid, h):
    return mid.resnets[1](mid.attentions[0](mid.resnets[0](h)))


class Vae(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        boc, layers, groups = cfg["block_out_channels"], cfg["layers_per_block"], cfg.get("norm_num_groups", 32)
        latent = cfg["latent_channels"]
        self.scaling = cfg.get("scaling_factor", 0.18215)
        enc = self.encoder = nn.Module()
        enc.conv_in = nn.Conv2d(cfg["in_channels"], boc[0], 3, padding=1)
        enc.down_blocks = nn.ModuleList()
        out = boc[0]
        for i in range(len(boc)):
            cin, out = out, boc[i]
            block = nn.Module()
            block.resnets = nn.ModuleList([Resnet(cin if j == 0 else out, out, 0, groups, 1e-6) for j in range(layers)])
            block.downsamplers = nn.ModuleList([Downsample(out, 0)]) if i < len(boc) - 1 else None
            enc.down_blocks.append(block)
        enc.mid_block = vae_mid(boc[-1], groups)
        enc.conv_norm_out = nn.GroupNorm(groups, boc[-1], 1e-6)
        enc.conv_out = nn.Conv2d(boc[-1], 2 * latent, 3, padding=1)
        self.quant_conv = nn.Conv2d(2 * latent, 2 * latent, 1)
        self.post_quant_conv = nn.Conv2d(latent, latent, 1)
        dec = self.decoder = nn.Module()
        rev = list(reversed(boc))
        dec.conv_in = nn.Conv2d(latent, rev[0], 3, padding=1)
        dec.mid_block = vae_mid(rev[0], groups)
        dec.up_blocks = nn.ModuleList()
        prev = rev[0]
        for i in range(len(boc)):
            out = rev[i]
            block = nn.Module()
            block.resnets = nn.ModuleList([Resnet(prev if j == 0 else out, out, 0, groups, 1e-6) for j in range(layers + 1)])
            block.upsamplers = nn.ModuleList([Upsample(out)]) if i < len(boc) - 1 else None
            dec.up_blocks.append(block)
            prev = out
        dec.conv_norm_out = nn.GroupNorm(groups, boc[0], 1e-6)
        dec.conv_out = nn.Conv2d(boc[0], cfg["out_channels"], 3, padding=1)

    def moments(self, image):
        e = self.encoder
        h = e.conv_in(image)
        for block in e.down_blocks:
            for resnet in block.resnets:
                h = resnet(h)
            if block.downsamplers is not None:
                h = block.downsamplers[0](h)
        h = e.conv_out(F.silu(e.conv_norm_out(run_mid(e.mid_block, h))))
        return self.quant_conv(h).chunk(2, dim=1)  # mean, logvar

    def encode(self, image):
        return self.moments(image)[0] * self.scaling

    def decode(self, z):
        d = self.decoder
        h = d.conv_in(self.post_quant_conv(z / self.scaling))
        h = run_mid(d.mid_block, h)
        for block in d.up_blocks:
            for resnet in block.resnets:
                h = resnet(h)
            if block.upsamplers is not None:
                h = block.upsamplers[0](h)
        return d.conv_out(F.silu(d.conv_norm_out(h)))


# ------------------------------------------------------------------------------------------------ CLIP text encoder

class ClipText(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, self.heads = cfg["hidden_size"], cfg["num_attention_heads"]
        self.quick = cfg.get("hidden_act", "quick_gelu") == "quick_gelu"
        tm = self.text_model = nn.Module()
        tm.embeddings = nn.Module()
        tm.embeddings.token_embedding = nn.Embedding(cfg["vocab_size"], d)
        tm.embeddings.position_embedding = nn.Embedding(cfg["max_position_embeddings"], d)
        tm.encoder = nn.Module()
        tm.encoder.layers = nn.ModuleList()
        for _ in range(cfg["num_hidden_layers"]):
            layer = nn.Module()
            layer.self_attn = nn.Module()
            for p in ["q_proj", "k_proj", "v_proj", "out_proj"]:
                setattr(layer.self_attn, p, nn.Linear(d, d))
            layer.layer_norm1 = nn.LayerNorm(d, cfg.get("layer_norm_eps", 1e-5))
            layer.mlp = nn.Module()
            layer.mlp.fc1 = nn.Linear(d, cfg["intermediate_size"])
            layer.mlp.fc2 = nn.Linear(cfg["intermediate_size"], d)
            layer.layer_norm2 = nn.LayerNorm(d, cfg.get("layer_norm_eps", 1e-5))
            tm.encoder.layers.append(layer)
        tm.final_layer_norm = nn.LayerNorm(d, cfg.get("layer_norm_eps", 1e-5))

    def _load_from_state_dict(self, state, prefix, *args):
        state.pop(prefix + "text_model.embeddings.position_ids", None)  # older checkpoints carry it
        super()._load_from_state_dict(state, prefix, *args)

    def forward(self, ids):
        tm = self.text_model
        x = tm.embeddings.token_embedding(ids) + tm.embeddings.position_embedding.weight[: ids.shape[1]]
        b, n, d = x.shape
        split = lambda t: t.reshape(b, n, self.heads, d // self.heads).transpose(1, 2)
        for layer in tm.encoder.layers:
            a = layer.self_attn
            y = layer.layer_norm1(x)
            y = F.scaled_dot_product_attention(split(a.q_proj(y)), split(a.k_proj(y)), split(a.v_proj(y)), is_causal=True)
            x = x + a.out_proj(y.transpose(1, 2).reshape(b, n, d))
            y = layer.mlp.fc1(layer.layer_norm2(x))
            y = y * torch.sigmoid(1.702 * y) if self.quick else F.gelu(y)
            x = x + layer.mlp.fc2(y)
        return tm.final_layer_norm(x)


# ----------------------------------------------------------------------------------------------- DDIM and PTI loops

class Ddim:
    """SD v1's scaled-linear schedule; n-step DDIM (timesteps (arange(n) * 1000 // n).flip + 1)."""

    def __init__(self, n):
        betas = torch.linspace(0.00085 ** 0.5, 0.012 ** 0.5, 1000, dtype=torch.float64) ** 2
        self.alphas = torch.cumprod(1 - betas, 0).to(torch.float32).tolist()
        self.ratio = 1000 // n
        self.timesteps = [i * self.ratio + 1 for i in reversed(range(n))]

    def alpha(self, t):
        return self.alphas[t] if t >= 0 else self.alphas[0]

    def step(self, z, eps, t):  # z_t -> z_{t - 1000/n}
        a, a_prev = self.alpha(t), self.alpha(t - self.ratio)
        x0 = (z - (1 - a) ** 0.5 * eps) / a ** 0.5
        return a_prev ** 0.5 * x0 + (1 - a_prev) ** 0.5 * eps

    def inverse_step(self, z, eps, t):  # z_{t - 1000/n} -> z_t, eps evaluated at (z, t)
        a_prev, a = self.alpha(t - self.ratio), self.alpha(t)
        x0 = (z - (1 - a_prev) ** 0.5 * eps) / a_prev ** 0.5
        return a ** 0.5 * x0 + (1 - a) ** 0.5 * eps


def cfg_eps(eps_u, eps_c, w):
    return eps_u + w * (eps_c - eps_u)


class Pipeline:
    """The UNet-driven loops; the UNet runs in `dtype`, everything around it in fp32, as in ptinv."""

    def __init__(self, unet, dtype):
        self.unet, self.dtype = unet, dtype

    def eps(self, z, t, c):
        return self.unet(z.to(self.dtype), t, c.to(self.dtype)).float()

    def invert(self, ddim, z0, uncond):
        latents = [z0]
        z = z0
        with torch.no_grad():
            for t in reversed(ddim.timesteps):
                z = ddim.inverse_step(z, self.eps(z, t, uncond), t)
                latents.append(z)
        return latents

    def tune(self, ddim, latents, cond, uncond, w, plan):
        """PTI (tune c) or NTI (tune u) per timestep, as ptinv's PerTimestepTuning does: the optimiser (Adam, or plain
        SGD c <- c - lr grad with plan["sgd"]) made fresh at each timestep, the fixed branch once without gradient, the
        tuned one with it, a host sync per inner step (the loss value, for early stopping and NaN checks), the final
        step with the tuned embedding."""
        n = len(ddim.timesteps)
        z, c, u = latents[n], cond, uncond
        conds, unconds = [], []
        for i, t in enumerate(ddim.timesteps):
            with torch.no_grad():
                fixed = self.eps(z, t, u if plan["conditional"] else c)
            param = (c if plan["conditional"] else u).detach().clone().requires_grad_(True)
            lr = plan["lr"] * (1 - i / 100) if plan["decay"] else plan["lr"]
            optimizer = torch.optim.SGD([param], lr=lr) if plan.get("sgd") else torch.optim.Adam([param], lr=lr)
            for _ in range(plan["inner"]):
                tuned = self.eps(z, t, param)
                e = cfg_eps(fixed, tuned, w) if plan["conditional"] else cfg_eps(tuned, fixed, w)
                loss = F.mse_loss(ddim.step(z, e, t), latents[n - 1 - i])
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                value = loss.item()
                if plan["early"] is not None and value < plan["early"] + i * 2e-5:
                    break
            param = param.detach()
            with torch.no_grad():
                tuned = self.eps(z, t, param)
                e = cfg_eps(fixed, tuned, w) if plan["conditional"] else cfg_eps(tuned, fixed, w)
                z = ddim.step(z, e, t)
            c, u = (param, u) if plan["conditional"] else (c, param)
            conds.append(c)
            unconds.append(u)
        return conds, unconds, z

    def edit(self, ddim, latents, conds, unconds, c_star, eta, w):
        """Eq. 9: step i conditions on (1 - eta) c_i + eta c*, two UNet calls per step as ptinv makes them."""
        n = len(ddim.timesteps)
        z = latents[n]
        with torch.no_grad():
            for i, t in enumerate(ddim.timesteps):
                c = (1 - eta) * conds[i] + eta * c_star
                z = ddim.step(z, cfg_eps(self.eps(z, t, unconds[i]), self.eps(z, t, c), w), t)
        return z


# ------------------------------------------------------------------------------------------------------------ check

def load(module, path):
    state = read_safetensors(path)
    missing, unexpected = module.load_state_dict(state, strict=False)
    if missing or unexpected:
        sys.exit(f"{path}: missing {missing[:5]}, unexpected {unexpected[:5]}")
    return module.eval()


def check(args):
    g = Path(args.golden)
    m = g / "tiny-sd"
    cfg = lambda part: json.loads((m / part / "config.json").read_text())
    unet = load(UNet(cfg("unet")), m / "unet/diffusion_pytorch_model.safetensors")
    vae = load(Vae(cfg("vae")), m / "vae/diffusion_pytorch_model.safetensors")
    text = load(ClipText(cfg("text_encoder")), m / "text_encoder/model.safetensors")
    ref = read_safetensors(g / "tiny-sd.reference.safetensors")
    tol = json.loads((g / "tolerances.json").read_text())["rows"]
    pipe = Pipeline(unet, torch.float32)
    failures = 0

    def row(key, ours):
        nonlocal failures
        theirs = ref[key].to(torch.float64)
        ours = ours.detach().to(torch.float64).reshape(theirs.shape)
        abs_err = (ours - theirs).abs().max().item()
        rel = ((ours - theirs).norm() / theirs.norm()).item()
        kind, value = tol[key]["kind"], tol[key].get("value", 0)
        ok = abs_err <= value if kind == "abs" else rel <= value if kind == "rel" else abs_err == 0
        failures += not ok
        print(f"{key:28s} max_abs {abs_err:10.3e}  rel {rel:10.3e}  {'PASS' if ok else 'FAIL'} ({kind} {value})")

    with torch.no_grad():
        row("text.hidden", text(ref["text.ids"]))
        mean, logvar = vae.moments(ref["vae.image"])
        row("vae.latent_mean", mean)
        row("vae.latent_logvar", logvar)
        row("vae.z0_scaled", vae.encode(ref["vae.image"]))
        row("vae.decoded", vae.decode(ref["vae.z0_scaled"]))
        for t in [1, 261, 981]:
            row(f"unet.eps.t{t}", unet(ref["unet.sample"], t, ref["unet.cond"]))
        ddim50 = Ddim(50)
        both = unet(torch.cat([ref["unet.sample"]] * 2), 501, torch.cat([ref["unet.uncond"], ref["unet.cond"]]))
        row("unet.eps_cfg7.5.t501", cfg_eps(both[:1], both[1:], 7.5))
        row("ddim.step.t501.out", ddim50.step(ref["unet.sample"], ref["unet.eps_cfg7.5.t501"], 501))
        eps = unet(ref["unet.sample"], 521, ref["unet.uncond"])
        row("ddim.invstep.t521.eps", eps)
        row("ddim.invstep.t521.out", ddim50.inverse_step(ref["unet.sample"], eps, 521))
    n = ref["pti.inversion"].shape[0] - 1
    ddim = Ddim(n)
    latents = pipe.invert(ddim, ref["vae.z0_scaled"], ref["unet.uncond"])
    row("pti.inversion", torch.cat(latents))
    # SGD rows: the plain update c <- c - lr grad, N = 2 (the Adam rows are chaotic: see the golden README)
    sgd = dict(conditional=True, inner=2, lr=ref["pti_sgd.lr"].item(), decay=False, early=None, sgd=True)
    conds, _, z = pipe.tune(ddim, latents, ref["unet.cond"], ref["unet.uncond"], 7.5, sgd)
    row("pti_sgd.embeddings", torch.cat(conds))
    row("pti_sgd.reconstruction", z)
    row("pti_sgd.edit.eta0.9", pipe.edit(ddim, latents, conds, [ref["unet.uncond"]] * n, ref["pti.edit.target_cond"],
                                         0.9, 7.5))
    print(f"{failures} failed")
    sys.exit(1 if failures else 0)


# ------------------------------------------------------------------------------------------------------------ bench

def bench(args):
    device = torch.device(args.device)
    dtype = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[args.dtype]
    cfg = lambda part: json.loads((Path(args.config_dir) / part / "config.json").read_text())
    torch.manual_seed(0)
    unet = UNet(cfg("unet")).to(device, dtype).eval()
    vae = Vae(cfg("vae")).to(device).eval()  # fp32, as ptinv keeps it
    text = ClipText(cfg("text_encoder")).to(device, dtype).eval()
    for module in (unet, vae, text):
        module.requires_grad_(False)
    pipe = Pipeline(unet, dtype)
    side = args.size
    yy, xx = torch.meshgrid(torch.arange(side), torch.arange(side), indexing="ij")
    disc = ((yy - side / 2) ** 2 + (xx - side / 2) ** 2 < (side / 4) ** 2).float()
    image = torch.stack([disc * 0.65 - (1 - disc) * 0.69, -disc * 0.76 - (1 - disc) * 0.53, -disc * 0.76 + (1 - disc) * 0.57])
    image = image[None].to(device)
    ids = torch.full((1, 77), 49407, dtype=torch.long, device=device)
    ids[0, 0] = 49406
    ids[0, 1:9] = torch.tensor([320, 1125, 539, 320, 1395, 7117, 525, 320], device=device)
    empty = torch.full((1, 77), 49407, dtype=torch.long, device=device)
    empty[0, 0] = 49406
    sync = (lambda: torch.cuda.synchronize(device)) if device.type == "cuda" else (lambda: None)
    plans = {"pti": dict(conditional=True, inner=1, lr=0.1, decay=False, early=None),
             "pti5": dict(conditional=True, inner=5, lr=0.1, decay=False, early=None),
             "nti": dict(conditional=False, inner=10, lr=1e-2, decay=True, early=1e-5)}

    def one(method):
        stages = {}
        clock = [time.perf_counter()]

        def mark(stage):
            sync()
            now = time.perf_counter()
            stages[stage] = stages.get(stage, 0.0) + now - clock[0]
            clock[0] = now

        ddim = Ddim(args.steps)
        with torch.no_grad():
            z0 = vae.encode(image)
        mark("encode")
        with torch.no_grad():
            cond, uncond = text(ids).float(), text(empty).float()
        latents = pipe.invert(ddim, z0, uncond)
        mark("invert")
        if method == "ddim":
            conds, unconds = [cond] * args.steps, [uncond] * args.steps
        else:
            conds, unconds, _ = pipe.tune(ddim, latents, cond, uncond, args.guidance, plans[method])
            mark("tune")
        with torch.no_grad():
            c_star = text(ids).float()
        z = pipe.edit(ddim, latents, conds, unconds, c_star, args.eta, args.guidance)
        mark("edit")
        with torch.no_grad():
            out = vae.decode(z.float())
        finite = bool(torch.isfinite(out).all())
        mark("decode")
        return stages, finite

    rows = []
    for method in args.methods.split(","):
        one(method)  # warm-up
        if device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(device)
        runs = [one(method) for _ in range(args.repeats)]
        stages = {s: statistics.median(r[0][s] for r in runs) for s in runs[0][0]}
        total = statistics.median(sum(r[0].values()) for r in runs)
        peak = torch.cuda.max_memory_allocated(device) if device.type == "cuda" else -1
        rows.append({"method": method, "stage_seconds": stages, "total_seconds": total, "peak_gpu_bytes": peak,
                     "finite": all(r[1] for r in runs)})
        print(f"{method:6s} total {total:8.2f} s  " + "  ".join(f"{s} {v:.2f}" for s, v in stages.items())
              + (f"  peak {peak / 2**30:.2f} GiB" if peak >= 0 else "") + ("" if rows[-1]["finite"] else "  NOT FINITE"),
              flush=True)
    report = {"torch": torch.__version__, "device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
              "dtype": args.dtype, "size": side, "steps": args.steps, "repeats": args.repeats, "rows": rows}
    if args.output:
        Path(args.output).write_text(json.dumps(report, indent=1))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check")
    c.add_argument("golden")
    c.set_defaults(fn=check)
    b = sub.add_parser("bench")
    b.add_argument("--config-dir", required=True)
    b.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    b.add_argument("--dtype", default="fp32", choices=["fp32", "fp16", "bf16"])
    b.add_argument("--size", type=int, default=512)
    b.add_argument("--steps", type=int, default=50)
    b.add_argument("--guidance", type=float, default=7.5)
    b.add_argument("--eta", type=float, default=0.9)
    b.add_argument("--repeats", type=int, default=3)
    b.add_argument("--methods", default="ddim,pti,pti5,nti")
    b.add_argument("-o", "--output")
    b.set_defaults(fn=bench)
    args = parser.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
