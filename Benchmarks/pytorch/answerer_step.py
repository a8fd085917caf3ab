#!/usr/bin/env python3
"""The ida answerer (Documentation/Answerer.md) in PyTorch, module for module, timed for one
full training step: forward, backward, global gradient-norm clipping at 1.0 and Adam.

`ida bench train-step` runs this script as a subprocess with the same shapes and thread count it
uses itself, and compares the times measured in the same run. It prints one JSON line:
{"ms_per_step": median, "best_ms_per_step": min, "cpu_ms_per_step": process CPU time (all
threads) per step, "parameters": count, "threads": N}.

Usage (the flags ida passes):
  python3 answerer_step.py --model-dimension 64 --embedding-dimension 16 --heads 4 \
      --fact-layers 2 --question-layers 1 --vocabulary 32 --fact-length 4 --question-length 4 \
      --answer-length 2 --batch 32 --facts 16 --questions 16 --threads 2 --steps 20
Install PyTorch with `pip install torch` if it is missing.
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Linear(nn.Linear):
    """y = x W^T + b with W ~ N(0, 1/fan_in), b = 0 (reference §4.1)."""

    def __init__(self, fan_in, fan_out):
        super().__init__(fan_in, fan_out)
        nn.init.normal_(self.weight, std=1.0 / math.sqrt(fan_in))
        nn.init.zeros_(self.bias)


class TokenEncoder(nn.Module):
    """Embed each token, concatenate in order, linear to d, LayerNorm (replaces BatchNorm)."""

    def __init__(self, vocabulary, length, embedding, d):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, embedding)
        nn.init.normal_(self.embedding.weight, std=1.0)
        self.projection = Linear(length * embedding, d)
        self.norm = nn.LayerNorm(d, eps=1e-5)

    def forward(self, tokens):  # (B, N, L) -> (B, N, d)
        x = self.embedding(tokens).flatten(-2)  # (B, N, L*e)
        return self.norm(self.projection(x))


class Attention(nn.Module):
    """Multi-head attention: Q, K, V linear to (heads, d/heads), scaled softmax, merge linear."""

    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.query, self.key, self.value, self.output = (Linear(d, d) for _ in range(4))

    def forward(self, x, memory, key_mask):  # x (B, T, d), memory (B, S, d), key_mask (B, S) bool
        B, T, d = x.shape
        S = memory.shape[1]
        hs = d // self.heads
        q = self.query(x).view(B, T, self.heads, hs).transpose(1, 2)  # (B, NH, T, hs)
        k = self.key(memory).view(B, S, self.heads, hs).transpose(1, 2)  # (B, NH, S, hs)
        v = self.value(memory).view(B, S, self.heads, hs).transpose(1, 2)  # (B, NH, S, hs)
        scores = q @ k.transpose(-1, -2) / math.sqrt(hs)  # (B, NH, T, S)
        scores = scores.masked_fill(~key_mask[:, None, None, :], -1e9)
        y = torch.softmax(scores, dim=-1) @ v  # (B, NH, T, hs)
        return self.output(y.transpose(1, 2).reshape(B, T, d))


class Cell(nn.Module):
    """Post-LN Transformer cell: x = LN(x + Attn(x, memory)); x = LN(x + FF(x))."""

    def __init__(self, d, heads, multiplier):
        super().__init__()
        self.attention = Attention(d, heads)
        self.attention_norm = nn.LayerNorm(d, eps=1e-5)
        self.up = Linear(d, multiplier * d)
        self.down = Linear(multiplier * d, d)
        self.feed_forward_norm = nn.LayerNorm(d, eps=1e-5)

    def forward(self, x, memory, key_mask):
        x = self.attention_norm(x + self.attention(x, memory, key_mask))
        return self.feed_forward_norm(x + self.down(F.relu(self.up(x))))


class AnswerPosition(nn.Module):
    """The output heads of one answer position i (separate weights per position)."""

    def __init__(self, i, a):
        super().__init__()
        d, lf = a.model_dimension, a.fact_length
        self.previous = TokenEncoder(a.vocabulary, i, a.embedding_dimension, d) if i > 0 else None
        width = d if i == 0 else 2 * d
        self.copy_query = Linear(width, lf * d)  # one query per fact word position j
        self.copy_key = Linear(d, lf * d)  # one key per fact word position j
        self.generate_hidden = Linear(width, d)
        self.generate_output = Linear(d, a.vocabulary)
        self.mixture_hidden = Linear(width, d)
        self.mixture_output = Linear(d, lf + 1)


class Answerer(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.a = a
        d = a.model_dimension
        self.fact_encoder = TokenEncoder(a.vocabulary, a.fact_length, a.embedding_dimension, d)
        self.fact_cells = nn.ModuleList(Cell(d, a.heads, 4) for _ in range(a.fact_layers))
        self.question_encoder = TokenEncoder(a.vocabulary, a.question_length, a.embedding_dimension, d)
        self.question_cells = nn.ModuleList(Cell(d, a.heads, 4) for _ in range(a.question_layers))
        self.positions = nn.ModuleList(AnswerPosition(i, a) for i in range(a.answer_length))

    def forward(self, facts, questions, targets):
        # facts (B, F, Lf), questions (B, Q, Lq), targets (B, Q, A) int64
        B, Fn, Lf = facts.shape
        Q = questions.shape[1]
        d = self.a.model_dimension
        fact_mask = facts.ne(0).any(-1)  # (B, F): padding facts are all-zero
        question_mask = questions.ne(0).any(-1)  # (B, Q)
        f = self.fact_encoder(facts)
        for cell in self.fact_cells:
            f = cell(f, f, fact_mask)
        q = self.question_encoder(questions)
        for cell in self.question_cells:
            q = cell(q, f, fact_mask)
        nll = torch.zeros(B, Q)
        for i, p in enumerate(self.positions):
            h = q if i == 0 else torch.cat([q, p.previous(targets[:, :, :i])], dim=-1)
            t = targets[:, :, i]  # (B, Q)
            query = p.copy_query(h).view(B, Q, Lf, d).transpose(1, 2)  # (B, Lf, Q, d)
            key = p.copy_key(f).view(B, Fn, Lf, d).transpose(1, 2)  # (B, Lf, F, d)
            copy = query @ key.transpose(-1, -2) / math.sqrt(d)  # (B, Lf, Q, F)
            copy = copy.masked_fill(~fact_mask[:, None, None, :], -1e9)
            log_alpha = torch.log_softmax(copy, dim=-1)  # (B, Lf, Q, F)
            generate = torch.log_softmax(p.generate_output(F.relu(p.generate_hidden(h))), dim=-1)
            mixture = torch.log_softmax(p.mixture_output(F.relu(p.mixture_hidden(h))), dim=-1)
            # log P(t) = logsumexp over {log pi_gen + log P_gen(t)} and
            # {log pi_j + log alpha_{j,f} : token j of fact f == t}
            matches = facts.transpose(1, 2)[:, :, None, :] == t[:, None, :, None]  # (B, Lf, Q, F)
            copy_terms = (mixture[..., :Lf].permute(0, 2, 1)[..., None] + log_alpha)
            copy_terms = copy_terms.masked_fill(~matches, -1e9).permute(0, 2, 1, 3)  # (B, Q, Lf, F)
            generate_term = mixture[..., Lf] + generate.gather(-1, t[..., None]).squeeze(-1)
            terms = torch.cat([copy_terms.reshape(B, Q, Lf * Fn), generate_term[..., None]], dim=-1)
            nll = nll - torch.logsumexp(terms, dim=-1)
        weight = question_mask.float()
        return (nll * weight).sum() / weight.sum().clamp(min=1.0)


def main():
    parser = argparse.ArgumentParser()
    for name, default in [("model-dimension", 64), ("embedding-dimension", 16), ("heads", 4),
                          ("fact-layers", 2), ("question-layers", 1), ("vocabulary", 32),
                          ("fact-length", 4), ("question-length", 4), ("answer-length", 2),
                          ("batch", 32), ("facts", 16), ("questions", 16), ("threads", 2),
                          ("steps", 20), ("warmup", 5), ("seed", 1)]:
        parser.add_argument("--" + name, type=int, default=default)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    a = parser.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model = Answerer(a)
    optimizer = torch.optim.Adam(model.parameters(), lr=a.learning_rate, betas=(0.9, 0.98), eps=1e-8)
    generator = torch.Generator().manual_seed(a.seed)
    facts = torch.randint(1, a.vocabulary, (a.batch, a.facts, a.fact_length), generator=generator)
    questions = torch.randint(1, a.vocabulary, (a.batch, a.questions, a.question_length), generator=generator)
    targets = torch.randint(1, a.vocabulary, (a.batch, a.questions, a.answer_length), generator=generator)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = model(facts, questions, targets)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        return loss

    for _ in range(a.warmup):
        step()
    times = []
    cpu_start = time.process_time()
    for _ in range(a.steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    cpu_ms = (time.process_time() - cpu_start) * 1000 / a.steps
    times.sort()
    print(json.dumps({
        "cpu_ms_per_step": cpu_ms,
        "ms_per_step": times[len(times) // 2],
        "best_ms_per_step": times[0],
        "parameters": sum(p.numel() for p in model.parameters()),
        "threads": torch.get_num_threads(),
    }))


if __name__ == "__main__":
    main()
