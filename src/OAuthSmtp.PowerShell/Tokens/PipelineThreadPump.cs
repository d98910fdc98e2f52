using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;

namespace OAuthSmtp.PowerShell.Tokens;

/// <summary>
/// Engine callbacks arrive on MSAL's threads, and a cmdlet may write to its streams only from the pipeline
/// thread. The pump queues the callbacks' writes and runs them on the pipeline thread while it waits for the
/// engine's task, so a device code reaches the user while the sign-in is still pending.
/// </summary>
internal sealed class PipelineThreadPump
{
    private readonly BlockingCollection<Action> _writes = new();

    /// <summary>Called from any thread: the write runs later on the pipeline thread.</summary>
    public void Post(Action write) => _writes.Add(write);

    /// <summary>Waits for <paramref name="task"/> on the pipeline thread, running queued writes as they come; returns its result or throws its exception.</summary>
    public T Run<T>(Task<T> task)
    {
        while (!task.IsCompleted)
        {
            if (_writes.TryTake(out var write, 50))
            {
                write();
            }
        }

        Drain();
        return task.GetAwaiter().GetResult();
    }

    private void Drain()
    {
        while (_writes.TryTake(out var write))
        {
            write();
        }
    }
}
