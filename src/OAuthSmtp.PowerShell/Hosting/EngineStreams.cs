using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Setup;

namespace OAuthSmtp.PowerShell.Hosting;

/// <summary>
/// The one way engine callbacks reach a cmdlet's streams. Engine code reports from MSAL's and the network's threads,
/// and PowerShell accepts stream writes only from the pipeline thread: a line written on the pipeline thread goes
/// out at once; one from any other thread is queued and written on the pipeline thread while the cmdlet waits for the
/// engine in <see cref="Run{T}"/> (which wakes for each line and when the task ends, no polling). So a device code, a
/// warning or a verbose line looks the same in Get-, Send- and Test-, and arrives while the engine is still working.
/// </summary>
internal sealed class EngineStreams : ISetupWaiter
{
    private readonly PSCmdlet _cmdlet;
    private readonly int _pipelineThread;
    private readonly BlockingCollection<Action> _writes = new();

    public EngineStreams(PSCmdlet cmdlet)
    {
        _cmdlet = cmdlet;
        _pipelineThread = Environment.CurrentManagedThreadId;
    }

    private bool OnPipelineThread => Environment.CurrentManagedThreadId == _pipelineThread;

    public void Verbose(string line) => Write(() => _cmdlet.WriteVerbose(line));

    public void Warning(string line) => Write(() => _cmdlet.WriteWarning(line));

    public void Progress(ProgressRecord record) => Write(() => _cmdlet.WriteProgress(record));

    /// <summary>
    /// Sign-in instructions: a warning (console, transcripts, -WarningVariable) and an information record tagged
    /// DeviceCode (so a script can capture them with -InformationVariable), from every cmdlet alike.
    /// </summary>
    public void DeviceCode(string instructions) => Write(() =>
    {
        _cmdlet.WriteWarning(instructions);
        _cmdlet.WriteInformation(new InformationRecord(instructions, _cmdlet.MyInvocation?.MyCommand?.Name ?? "OAuthSmtp") { Tags = { "DeviceCode" } });
    });

    /// <summary>Waits on the pipeline thread for <paramref name="task"/>, writing what the engine reports meanwhile; returns its result or throws its exception.</summary>
    public T Run<T>(Task<T> task)
    {
        if (task is null)
        {
            throw new ArgumentNullException(nameof(task));
        }

        task.ContinueWith(_ => _writes.Add(static () => { }), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        while (!task.IsCompleted)
        {
            _writes.Take()();
        }

        Flush();
        return task.GetAwaiter().GetResult();
    }

    public void Run(Task task) => Run(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));

    /// <summary>Writes what other threads queued since the last wait (call only on the pipeline thread).</summary>
    public void Flush()
    {
        while (_writes.TryTake(out var write))
        {
            write();
        }
    }

    T ISetupWaiter.Wait<T>(Task<T> task) => Run(task);

    private void Write(Action write)
    {
        if (OnPipelineThread)
        {
            Flush();
            write();
        }
        else
        {
            _writes.Add(write);
        }
    }
}
