using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Emulator.Smtp;

/// <summary>
/// A test's hold on the server's reply at one stage (EmulatorFaults.HoldReplies): the next sessions that reach the stage,
/// up to the count, wait there until the test calls <see cref="Release"/>, and the test can await <see cref="AllHeld"/>.
/// Tests that need "the server is busy with this message now" use it instead of a delay in milliseconds, so nothing in
/// them depends on how fast the machine is. Supported at Banner (before the 220) and EndOfData (the message has
/// arrived whole and is not stored yet, as <see cref="EmulatorFaults.ThrottleCount"/> holds it).
/// </summary>
public sealed class SmtpReplyHold
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _allHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _count;
    private int _taken;
    private int _held;

    internal SmtpReplyHold(SmtpStage stage, int count)
    {
        Stage = stage;
        _count = count < 1 ? 1 : count;
    }

    public SmtpStage Stage { get; }

    /// <summary>How many sessions have reached the stage and waited (or wait) there.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Completes once the count of sessions wait at the stage.</summary>
    public Task AllHeld => _allHeld.Task;

    /// <summary>Lets every held session (and any later one this hold takes) go on.</summary>
    public void Release() => _released.TrySetResult();

    /// <summary>True if this session is one of the count to hold at <paramref name="stage"/>.</summary>
    internal bool TryTake(SmtpStage stage) => stage == Stage && Interlocked.Increment(ref _taken) <= _count;

    /// <summary>Waits at the stage until <see cref="Release"/> (or the server stops).</summary>
    internal async Task WaitAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _held) == _count) _allHeld.TrySetResult();
        await _released.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
