using System.Security.Cryptography;
using SeqGraph.IO;

namespace SeqGraph.Tests;

/// <summary>
/// Readers take no lock: a checkpoint loaded while the real command saves one every step is always
/// one whole checkpoint — its tensors are the very ones its model.json's SHA-256 describes.
/// </summary>
public sealed class CheckpointReadDuringSavesTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public void ALoadDuringSavesAlwaysReturnsAWholeCheckpoint()
    {
        string corpus = TextCheckpointTests.TinyCorpus(_dir), run = _dir.File("run");
        using var p = CliTests.Start("text", "train", "--corpus", corpus, "--steps", "100000", "--seq", "10", "--batch", "8", "--hidden", "8",
            "--embed", "4", "--eval-every", "0", "--checkpoint-every", "1", "--threads", "1", "--out", run);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (!Checkpoint.Exists(run) && DateTime.UtcNow < deadline && !p.HasExited) Thread.Sleep(5);
            // hundreds of loads, over at least 20 saves however slow the machine makes the saver
            var steps = new HashSet<long>();
            int loads = 0;
            for (var until = DateTime.UtcNow.AddSeconds(90); (loads < 300 || steps.Count < 20) && DateTime.UtcNow < until; loads++)
            {
                Assert.False(p.HasExited, p.HasExited ? "the run ended: " + p.StandardError.ReadToEnd() : "");
                var data = Checkpoint.Load(run);
                steps.Add((long)data.Sidecar["step"]!);
                // the tensors returned are those the sidecar was saved with, byte for byte
                using var bytes = new MemoryStream();
                Safetensors.Write(bytes, data.Tensors.Select(kv => SafeTensorEntry.FromTensor(kv.Key, kv.Value)), data.Metadata.ToDictionary());
                Assert.Equal((string)data.Sidecar["tensors"]!["sha256"]!, Convert.ToHexStringLower(SHA256.HashData(bytes.ToArray())));
            }
            Assert.True(loads >= 300 && steps.Count >= 20, $"{loads} loads saw only {steps.Count} saves");
        }
        finally
        {
            if (!p.HasExited) p.Kill();
            p.WaitForExit();
        }
    }

    public void Dispose() => _dir.Dispose();
}
