using SeqGraph.Autograd;
using SeqGraph.Data;
using SeqGraph.Nn.Recurrent;

namespace SeqGraph.Training;

/// <summary>
/// Scores a model on a stretch of a corpus, or on its validation blocks, the way it is used for
/// generation: the stretch is cut into up to 64 contiguous streams (or each block is one stream)
/// read side by side as one batch, in chunks, with the hidden and cell state carried from chunk to
/// chunk (so every character after the first of its stream is predicted with all of its stream's
/// history, as char-rnn evaluates). No tape, dropout off.
/// </summary>
public static class TextEvaluator
{
    /// <summary>Characters per chunk (the time length of each forward pass).</summary>
    public const int ChunkSteps = 128;

    /// <summary>Most logits one chunk computes (streams × steps × vocabulary; 16 MB of floats).</summary>
    public const int MaxChunkLogits = 1 << 22;

    /// <summary>
    /// Steps per chunk for <paramref name="streams"/> streams over a vocabulary of <paramref name="vocabulary"/>:
    /// <see cref="ChunkSteps"/>, fewer when the logits would pass <see cref="MaxChunkLogits"/> (a vocabulary of
    /// 70,000 characters would otherwise need 2.3 GB of logits for 64 × 128 positions). The state is carried
    /// from chunk to chunk, so the chunk length does not change what is predicted.
    /// </summary>
    public static int ChunkFor(int streams, int vocabulary) =>
        (int)Math.Clamp(MaxChunkLogits / ((long)Math.Max(1, streams) * Math.Max(1, vocabulary)), 1, ChunkSteps);

    /// <summary>How many characters <see cref="Evaluate(CharLstm, TextCorpus, int, int, int, CancellationToken, IProgress{long})"/> predicts in a stretch of <paramref name="length"/> (the streams are equal, so a few at the end may be left out).</summary>
    public static long Predictions(int length, int maxStreams = 64)
    {
        int pairs = length - 1;
        if (pairs < 1) return 0;
        int streams = Math.Clamp(pairs / ChunkSteps, 1, maxStreams);
        return (long)(pairs / streams) * streams;
    }

    /// <summary>
    /// Evaluates symbols [start, start + length) of <paramref name="corpus"/>; NaN figures when fewer
    /// than 2. <paramref name="progress"/> receives the characters predicted so far after each chunk
    /// (the last report is <see cref="Predictions"/>).
    /// </summary>
    public static TextEvalResult Evaluate(CharLstm model, TextCorpus corpus, int start, int length, int maxStreams = 64, CancellationToken cancel = default,
        IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(corpus);
        if (start < 0 || length < 0 || start + length > corpus.Length) throw new ArgumentOutOfRangeException(nameof(length), "stretch outside the corpus");
        int pairs = length - 1;
        if (pairs < 1) return new TextEvalResult(double.NaN, double.NaN, 0);
        int streams = Math.Clamp(pairs / ChunkSteps, 1, maxStreams);
        int perStream = pairs / streams; // predictions per stream; the last few characters may be left out
        var starts = Enumerable.Range(0, streams).Select(b => start + b * perStream).ToArray();
        var (loss, hits, count) = Score(model, corpus, starts, perStream, cancel, progress);
        return new TextEvalResult(loss / count, (double)hits / count, count);
    }

    /// <summary>
    /// Evaluates blocks of <paramref name="corpus"/> (start, length; all of one length), each block
    /// one stream from the zero state, up to <paramref name="maxStreams"/> side by side: every
    /// character of a block after its first is predicted. NaN figures when nothing is predicted.
    /// </summary>
    public static TextEvalResult Evaluate(CharLstm model, TextCorpus corpus, IReadOnlyList<(int Start, int Length)> blocks, int maxStreams = 64, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count == 0 || blocks[0].Length < 2) return new TextEvalResult(double.NaN, double.NaN, 0);
        int length = blocks[0].Length;
        foreach (var (s, l) in blocks)
        {
            if (l != length) throw new ArgumentException("validation blocks must all have the same length", nameof(blocks));
            if (s < 0 || s + l > corpus.Length) throw new ArgumentOutOfRangeException(nameof(blocks), "block outside the corpus");
        }
        double loss = 0;
        long hits = 0, count = 0;
        for (int g = 0; g < blocks.Count; g += maxStreams)
        {
            var starts = blocks.Skip(g).Take(maxStreams).Select(b => b.Start).ToArray();
            var (l, h, c) = Score(model, corpus, starts, length - 1, cancel, null);
            loss += l; hits += h; count += c;
        }
        return new TextEvalResult(loss / count, (double)hits / count, count);
    }

    // Sums of loss, hits and predictions over streams starting at starts, perStream predictions each.
    private static (double Loss, long Hits, long Count) Score(CharLstm model, TextCorpus corpus, int[] starts, int perStream, CancellationToken cancel, IProgress<long>? progress)
    {
        int streams = starts.Length;
        bool wasTraining = model.Training;
        model.Eval();
        try
        {
            using var _ = Tape.NoGrad();
            RecurrentState? state = null;
            double lossSum = 0;
            long hits = 0, count = 0;
            int chunk = ChunkFor(streams, model.Config.Vocabulary);
            for (int done = 0; done < perStream; done += chunk)
            {
                cancel.ThrowIfCancellationRequested();
                int t = Math.Min(chunk, perStream - done);
                var inputs = new int[t * streams];
                var targets = new int[t * streams];
                for (int b = 0; b < streams; b++)
                {
                    int s0 = starts[b] + done;
                    for (int k = 0; k < t; k++)
                    {
                        inputs[k * streams + b] = corpus[s0 + k];
                        targets[k * streams + b] = corpus[s0 + k + 1];
                    }
                }
                var r = model.Loss(inputs, targets, t, streams, state);
                state = r.Final;
                double chunkLoss = r.Loss.Item();
                if (!double.IsFinite(chunkLoss)) throw new NonFiniteOutputException($"predictions {count + 1}–{count + r.Count}");
                lossSum += chunkLoss * r.Count;
                hits += r.Correct;
                count += r.Count;
                progress?.Report(count);
            }
            return (lossSum, hits, count);
        }
        finally
        {
            model.Train(wasTraining);
        }
    }
}
