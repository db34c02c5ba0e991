using System.Runtime.InteropServices;

namespace SeqGraph.Fuzz;

/// <summary>The few POSIX calls the harness needs: make a FIFO, signal this process, open a FIFO's write end without blocking.</summary>
internal static class Native
{
    private const int SigInt = 2, WriteOnly = 1, NonBlock = 0x800;

    [DllImport("libc", SetLastError = true, EntryPoint = "mkfifo")]
    private static extern int MkFifo(string path, uint mode);

    [DllImport("libc", SetLastError = true, EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    [DllImport("libc", SetLastError = true, EntryPoint = "open")]
    private static extern int Open(string path, int flags);

    [DllImport("libc", SetLastError = true, EntryPoint = "close")]
    private static extern int Close(int fd);

    /// <summary>Creates a FIFO at <paramref name="path"/>.</summary>
    public static void MakeFifo(string path)
    {
        if (MkFifo(path, 0b110_100_100) != 0) throw new IOException($"mkfifo {path}: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Sends SIGINT to this process (the running case's CliRunner turns it into its cancellation).</summary>
    public static void InterruptSelf() => Kill(Environment.ProcessId, SigInt);

    /// <summary>
    /// If a reader is blocked opening the FIFO, opens and closes its write end, so that reader sees
    /// end of file; does nothing (and never blocks) when no one is reading.
    /// </summary>
    public static void ReleaseFifoReader(string path)
    {
        int fd = Open(path, WriteOnly | NonBlock);
        if (fd >= 0) Close(fd);
    }
}
