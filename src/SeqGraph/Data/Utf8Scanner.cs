using System.Buffers;
using System.Text;

namespace SeqGraph.Data;

/// <summary>
/// Streams the Unicode scalar values of a UTF-8 file without holding it in memory: strict
/// decoding (overlong forms, surrogates, values above U+10FFFF and truncated sequences are
/// errors naming the byte offset), a leading byte-order mark skipped, CRLF and lone CR
/// delivered as LF, and a NUL byte rejected as the sign of a binary file.
/// </summary>
public static class Utf8Scanner
{
    /// <summary>One more than the largest Unicode scalar value.</summary>
    public const int ScalarLimit = 0x110000;

    private const int ChunkSize = 1 << 16;

    /// <summary>Calls <paramref name="onScalar"/> for every character of the file, in order.</summary>
    /// <exception cref="InvalidDataException">The file is not valid UTF-8 or contains a NUL byte.</exception>
    public static void Scan(string path, Action<int> onScalar)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        byte[] buf = ArrayPool<byte>.Shared.Rent(ChunkSize + 4);
        try
        {
            int carry = 0;          // undecoded bytes kept from the previous chunk
            long consumedBefore = 0; // file offset of buf[0]
            bool first = true, afterCr = false;
            while (true)
            {
                int read = stream.Read(buf, carry, ChunkSize);
                int avail = carry + read;
                bool eof = read == 0;
                int pos = 0;
                if (first && (avail >= 3 || eof))
                {
                    first = false;
                    if (avail >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF) pos = 3;
                    else if (avail >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) || (buf[0] == 0xFE && buf[1] == 0xFF)))
                        throw new InvalidDataException($"{path}: starts with a UTF-16 byte-order mark (0x{buf[0]:X2} 0x{buf[1]:X2}), not UTF-8; read it with --encoding utf-16");
                }
                else if (first) { carry = avail; continue; }
                while (pos < avail)
                {
                    byte b = buf[pos];
                    int scalar;
                    if (b < 0x80)
                    {
                        if (b == 0) throw new InvalidDataException($"{path}: NUL byte at offset {consumedBefore + pos}; this looks like a binary file, not text");
                        scalar = b;
                        pos++;
                    }
                    else
                    {
                        var status = Rune.DecodeFromUtf8(buf.AsSpan(pos, avail - pos), out Rune rune, out int used);
                        if (status == System.Buffers.OperationStatus.NeedMoreData && !eof) break;
                        if (status != System.Buffers.OperationStatus.Done)
                            throw new InvalidDataException($"{path}: invalid UTF-8 at byte offset {consumedBefore + pos} (byte 0x{b:X2}); the file is not UTF-8: give its encoding with --encoding ({string.Join(", ", TextEncodings.Names)})");
                        scalar = rune.Value;
                        pos += used;
                    }
                    if (scalar == '\r') { onScalar('\n'); afterCr = true; continue; }
                    if (scalar == '\n' && afterCr) { afterCr = false; continue; }
                    afterCr = false;
                    onScalar(scalar);
                }
                if (eof) break;
                carry = avail - pos;
                if (carry > 0) Array.Copy(buf, pos, buf, 0, carry);
                consumedBefore += pos;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buf);
        }
    }
}
