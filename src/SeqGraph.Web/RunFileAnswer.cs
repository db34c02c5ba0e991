using Microsoft.AspNetCore.Http;

namespace SeqGraph.Web;

/// <summary>
/// Serves one run file by streaming it: the length is taken when the file is opened and exactly
/// that many bytes are sent (a metrics file that grows meanwhile is sent as it was), through a small
/// buffer, so a large file never sits in memory; HEAD gets the length only.
/// </summary>
internal static class RunFileAnswer
{
    private const int BufferBytes = 64 * 1024;

    /// <summary>Sends <paramref name="path"/>; false (nothing written) when it cannot be opened.</summary>
    public static async Task<bool> Send(HttpContext context, string path)
    {
        FileStream stream;
        try { stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        await using (stream)
        {
            long length = stream.Length;
            context.Response.ContentLength = length;
            if (!HttpMethods.IsGet(context.Request.Method)) return true;
            byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferBytes);
            try
            {
                long left = length;
                while (left > 0)
                {
                    int n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), context.RequestAborted);
                    if (n == 0) break;   // shrank meanwhile: the client sees a short answer rather than made-up bytes
                    await context.Response.Body.WriteAsync(buffer.AsMemory(0, n), context.RequestAborted);
                    left -= n;
                }
            }
            finally { System.Buffers.ArrayPool<byte>.Shared.Return(buffer); }
        }
        return true;
    }
}
