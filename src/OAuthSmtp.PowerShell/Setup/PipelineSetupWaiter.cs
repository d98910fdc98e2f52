using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Setup;

namespace OAuthSmtp.PowerShell.Setup;

/// <summary>
/// Waits for the doctor's I/O on the pipeline thread while running the stream writes (verbose lines, device codes)
/// that engine callbacks post from other threads. The task's completion wakes it at once: no polling delay.
/// </summary>
internal sealed class PipelineSetupWaiter : ISetupWaiter
{
    private readonly BlockingCollection<Action> _writes = new();

    /// <summary>From any thread: the write runs on the pipeline thread during the current or next wait.</summary>
    public void Post(Action write) => _writes.Add(write);

    public T Wait<T>(Task<T> task)
    {
        task.ContinueWith(_ => _writes.Add(() => { }), TaskScheduler.Default);
        while (!task.IsCompleted)
        {
            _writes.Take()();
        }

        while (_writes.TryTake(out var write))
        {
            write();
        }

        return task.GetAwaiter().GetResult();
    }
}
