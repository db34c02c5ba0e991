using System.Runtime.InteropServices;

namespace SeqGraph.Cli;

/// <summary>
/// Ctrl-C and SIGTERM as a cancellation token for one command: the first request cancels
/// <see cref="Token"/> (and calls the given action once); later ones, and any that arrive on the
/// signal thread after <see cref="End"/> as the command finishes, do nothing. Without that gate a
/// signal landing as a run ended cancelled an already disposed source and the process aborted
/// (found by the fuzz harness: exit 134, ObjectDisposedException).
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly object _gate = new();
    private readonly Action? _onFirst;
    private readonly ConsoleCancelEventHandler _onCancel;
    private readonly PosixSignalRegistration _sigterm, _sigint;
    private bool _ended;

    /// <summary>Starts listening; <paramref name="onFirst"/> runs on the first request (e.g. to say "stopping…").</summary>
    public StopSignals(Action? onFirst = null)
    {
        _onFirst = onFirst;
        _onCancel = (_, e) => { e.Cancel = true; Request(); };
        Console.CancelKeyPress += _onCancel;
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; Request(); });
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => { ctx.Cancel = true; Request(); });
    }

    /// <summary>Cancelled on the first Ctrl-C or SIGTERM.</summary>
    public CancellationToken Token => _source.Token;

    private void Request()
    {
        lock (_gate)
        {
            if (_ended || _source.IsCancellationRequested) return;
            _source.Cancel();
        }
        _onFirst?.Invoke();
    }

    /// <summary>From now on requests are ignored (the command is finishing); safe to call more than once.</summary>
    public void End()
    {
        lock (_gate) _ended = true;
        Console.CancelKeyPress -= _onCancel;
    }

    /// <summary>Ends listening and frees the registrations.</summary>
    public void Dispose()
    {
        End();
        _sigint.Dispose();
        _sigterm.Dispose();
        _source.Dispose();
    }
}
