using SeqGraph.Tensors;
using SeqGraph.Training;
using SeqGraph.IO;

namespace SeqGraph.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ExceptionDuringWriteLeavesOldFileAndNoTempFile()
    {
        string path = _dir.File("state.json");
        AtomicFile.WriteAllText(path, "old contents");
        var boom = new InvalidOperationException("disk on fire");
        var thrown = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("new, half-written"u8);
            s.Flush();
            throw boom;
        }));
        Assert.Same(boom, thrown);
        Assert.Equal("old contents", File.ReadAllText(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void ExceptionDuringFirstWriteLeavesNoFileAtAll()
    {
        string path = _dir.File("new.bin");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
        {
            s.WriteByte(1);
            throw new IOException("stop");
        }));
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void SuccessfulWriteReplacesTheTargetWithoutBomOrLeftovers()
    {
        string path = _dir.File("a.txt");
        File.WriteAllText(path, "a much longer previous content that must not leave a tail");
        AtomicFile.WriteAllText(path, "héllo");
        Assert.Equal("héllo"u8.ToArray(), File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void SafetensorsWriteThatFailsKeepsThePreviousFile()
    {
        string path = _dir.File("model.safetensors");
        Safetensors.Write(path, new Dictionary<string, Tensor> { ["w"] = Tensor.Ones(3) });
        byte[] before = File.ReadAllBytes(path);
        // A metadata value of null is only detected while the header is being built: nothing may be written.
        Assert.ThrowsAny<ArgumentException>(() => Safetensors.Write(path,
            new Dictionary<string, Tensor> { ["w"] = Tensor.Zeros(3) }, new Dictionary<string, string> { ["k"] = null! }));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void MissingDirectoryIsAClearError()
    {
        string path = Path.Combine(_dir.Path, "no-such-dir", "x.txt");
        var e = Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteAllText(path, "x"));
        Assert.Contains("directory does not exist", e.Message);
    }
}
