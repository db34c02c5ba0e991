using System.Buffers;
using System.Text;

namespace SeqGraph.Data;

/// <summary>
/// Streams the Unicode scalar values of a text file in any <see cref="TextEncoding"/>, with the
/// same rules as <see cref="Utf8Scanner"/> (which reads UTF-8): strict decoding, a byte-order mark
/// dropped, CRLF and lone CR delivered as LF, a NUL character rejected as the sign of a binary file.
/// </summary>
public static class TextScanner
{
    private const int ChunkSize = 1 << 16;

    /// <summary>Calls <paramref name="onScalar"/> for every character of the file, in order.</summary>
    /// <exception cref="InvalidDataException">The file is not valid in <paramref name="encoding"/> or contains a NUL.</exception>
    public static void Scan(string path, TextEncoding encoding, Action<int> onScalar)
    {
        if (encoding == TextEncoding.Utf8) { Utf8Scanner.Scan(path, onScalar); return; }
        string name = TextEncodings.Name(encoding);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        long offset = 0;
        Encoding enc;
        if (encoding == TextEncoding.Utf16)
        {
            Span<byte> bom = stackalloc byte[2];
            int got = stream.ReadAtLeast(bom, 2, throwOnEndOfStream: false);
            bool little = got == 2 && bom[0] == 0xFF && bom[1] == 0xFE, big = got == 2 && bom[0] == 0xFE && bom[1] == 0xFF;
            if (!little && !big)
                throw new InvalidDataException($"{path}: --encoding utf-16 needs a byte-order mark (FF FE or FE FF) at the start of the file, and this file has none");
            enc = new UnicodeEncoding(bigEndian: big, byteOrderMark: false, throwOnInvalidBytes: true);
            offset = 2;
        }
        else if (encoding == TextEncoding.Latin1) enc = Encoding.Latin1;
        else enc = CodePagesEncodingProvider.Instance.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)
            ?? throw new InvalidOperationException("code page 1252 is not available");
        var decoder = enc.GetDecoder();
        byte[] bytes = ArrayPool<byte>.Shared.Rent(ChunkSize);
        char[] chars = ArrayPool<char>.Shared.Rent(enc.GetMaxCharCount(ChunkSize) + 2);
        try
        {
            char high = '\0';
            bool afterCr = false;
            long charIndex = 0;
            while (true)
            {
                int read = stream.Read(bytes, 0, ChunkSize);
                bool eof = read == 0;
                int n;
                try { n = decoder.GetChars(bytes, 0, read, chars, 0, flush: eof); }
                catch (DecoderFallbackException e)
                {
                    long at = offset + Math.Max(0, e.Index);
                    throw new InvalidDataException($"{path}: invalid {name} at byte offset {at}; give the file's encoding with --encoding ({string.Join(", ", TextEncodings.Names)})");
                }
                for (int i = 0; i < n; i++, charIndex++)
                {
                    char ch = chars[i];
                    int scalar;
                    if (high != '\0')
                    {
                        if (!char.IsLowSurrogate(ch)) throw new InvalidDataException($"{path}: invalid {name}: an unpaired surrogate at character {charIndex - 1}");
                        scalar = char.ConvertToUtf32(high, ch);
                        high = '\0';
                    }
                    else if (char.IsHighSurrogate(ch)) { high = ch; continue; }
                    else if (char.IsLowSurrogate(ch)) throw new InvalidDataException($"{path}: invalid {name}: an unpaired surrogate at character {charIndex}");
                    else scalar = ch;
                    if (scalar == 0) throw new InvalidDataException($"{path}: NUL character at character {charIndex}; this looks like a binary file, not text");
                    if (scalar == 0xFEFF && charIndex == 0) continue; // a byte-order mark
                    if (scalar == '\r') { onScalar('\n'); afterCr = true; continue; }
                    if (scalar == '\n' && afterCr) { afterCr = false; continue; }
                    afterCr = false;
                    onScalar(scalar);
                }
                offset += read;
                if (eof) break;
            }
            if (high != '\0') throw new InvalidDataException($"{path}: invalid {name}: the file ends inside a surrogate pair");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
