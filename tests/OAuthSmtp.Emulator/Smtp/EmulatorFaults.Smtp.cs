using System;
using System.Threading;
using OAuthSmtp.Emulator.Smtp;

namespace OAuthSmtp.Emulator;

// The SMTP server's faults and settings. Each counted fault fires at most its count, then disarms itself.
public sealed partial class EmulatorFaults
{
    /// <summary>Default transient reply: the throttling text seen from Exchange Online [OBS; usually inbound].</summary>
    public const string DefaultTransientSmtpReply = "451 4.7.500 Server busy. Please try again later from [127.0.0.1]. (S77)";

    private readonly object _smtpGate = new();
    private int _smtpReplyLatencyMs;
    private SmtpStage? _dropConnectionAt;
    private int _dropConnectionCount;
    private SmtpStage? _transientReplyAt;
    private int _transientReplyCount;
    private string _transientReply = DefaultTransientSmtpReply;
    private int _throttleCount;
    private int _throttleDelayMs;
    private int _smtpResetGeneration;
    private int _serverBusyCount;
    private SmtpReplyHold? _replyHold;

    /// <summary>Behaviour settings for unconfirmed replies and limits (see the emulator README, section smtp).</summary>
    public SmtpBehaviorSettings SmtpSettings { get; } = new();

    /// <summary>Delay before each flush of replies, in milliseconds (0 = none).</summary>
    public int SmtpReplyLatencyMs
    {
        get => Volatile.Read(ref _smtpReplyLatencyMs);
        set => Volatile.Write(ref _smtpReplyLatencyMs, Math.Max(0, value));
    }

    /// <summary>Where the server drops the connection without a reply; null = never. Fires <see cref="DropConnectionCount"/> times.</summary>
    public SmtpStage? DropConnectionAt
    {
        get { lock (_smtpGate) return _dropConnectionAt; }
        set
        {
            lock (_smtpGate)
            {
                _dropConnectionAt = value;
                if (value is not null && _dropConnectionCount <= 0) _dropConnectionCount = 1;
            }
        }
    }

    /// <summary>How many more times <see cref="DropConnectionAt"/> fires (setting a stage arms it once if this is 0).</summary>
    public int DropConnectionCount
    {
        get { lock (_smtpGate) return _dropConnectionCount; }
        set { lock (_smtpGate) _dropConnectionCount = Math.Max(0, value); }
    }

    /// <summary>Where the server answers <see cref="TransientReply"/> instead of its normal reply; null = never.</summary>
    public SmtpStage? TransientReplyAt
    {
        get { lock (_smtpGate) return _transientReplyAt; }
        set
        {
            lock (_smtpGate)
            {
                _transientReplyAt = value;
                if (value is not null && _transientReplyCount <= 0) _transientReplyCount = 1;
            }
        }
    }

    /// <summary>How many more times <see cref="TransientReplyAt"/> fires.</summary>
    public int TransientReplyCount
    {
        get { lock (_smtpGate) return _transientReplyCount; }
        set { lock (_smtpGate) _transientReplyCount = Math.Max(0, value); }
    }

    /// <summary>The transient reply, whole ("451 4.7.500 …" or "432 4.3.2 Concurrent connections limit exceeded.").</summary>
    public string TransientReply
    {
        get { lock (_smtpGate) return _transientReply; }
        set { lock (_smtpGate) _transientReply = string.IsNullOrWhiteSpace(value) ? DefaultTransientSmtpReply : value; }
    }

    /// <summary>The next this-many accepted messages have their end-of-data reply held for <see cref="ThrottleDelayMs"/> (as the rate limit does).</summary>
    public int ThrottleCount
    {
        get { lock (_smtpGate) return _throttleCount; }
        set { lock (_smtpGate) _throttleCount = Math.Max(0, value); }
    }

    public int ThrottleDelayMs
    {
        get { lock (_smtpGate) return _throttleDelayMs; }
        set { lock (_smtpGate) _throttleDelayMs = Math.Max(0, value); }
    }

    /// <summary>
    /// Holds the server's reply at <paramref name="stage"/> (Banner or EndOfData) for the next <paramref name="count"/>
    /// sessions that reach it, until the test releases the hold; replaces (and releases) an earlier hold. Reset releases it.
    /// </summary>
    public SmtpReplyHold HoldReplies(SmtpStage stage, int count = 1)
    {
        var hold = new SmtpReplyHold(stage, count);
        SmtpReplyHold? earlier;
        lock (_smtpGate)
        {
            earlier = _replyHold;
            _replyHold = hold;
        }

        earlier?.Release();
        return hold;
    }

    /// <summary>The hold armed last (by C# or from a script through $OAuthSmtpEmulator.Faults.HoldReplies), or null.</summary>
    public SmtpReplyHold? ReplyHold
    {
        get { lock (_smtpGate) return _replyHold; }
    }

    /// <summary>The armed hold if this session is one it takes at <paramref name="stage"/>.</summary>
    internal SmtpReplyHold? TryTakeReplyHold(SmtpStage stage)
    {
        lock (_smtpGate) return _replyHold is { } hold && hold.TryTake(stage) ? hold : null;
    }

    /// <summary>
    /// The service is busy: the next this-many RCPT TO commands (any session) get
    /// 451 4.7.500 Server busy. Please try again later from [&lt;client IP&gt;]. (S77), then RCPT is accepted again.
    /// </summary>
    public int ServerBusyCount
    {
        get { lock (_smtpGate) return _serverBusyCount; }
        set { lock (_smtpGate) _serverBusyCount = Math.Max(0, value); }
    }

    /// <summary>Hostile server: STARTTLS is neither advertised nor accepted (454 4.7.0).</summary>
    public bool SmtpOmitStartTls { get; set; }

    /// <summary>Hostile server: replies are written one byte per write.</summary>
    public bool SmtpReplyOneByteAtATime { get; set; }

    /// <summary>Hostile server: the EHLO reply never ends (continuation lines until the client leaves, bounded at 1,000,000 lines).</summary>
    public bool SmtpEndlessMultilineReply { get; set; }

    /// <summary>Changes on every <see cref="Reset"/>: the SMTP server then forgets its per-mailbox rate and recipient history.</summary>
    public int SmtpResetGeneration => Volatile.Read(ref _smtpResetGeneration);

    /// <summary>True once if a drop is armed for this stage; consumes one count.</summary>
    public bool TryConsumeSmtpDrop(SmtpStage stage)
    {
        lock (_smtpGate)
        {
            if (_dropConnectionAt != stage || _dropConnectionCount <= 0) return false;
            if (--_dropConnectionCount == 0) _dropConnectionAt = null;
            return true;
        }
    }

    /// <summary>The transient reply if one is armed for this stage; consumes one count.</summary>
    public string? TryConsumeSmtpTransientReply(SmtpStage stage)
    {
        lock (_smtpGate)
        {
            if (_transientReplyAt != stage || _transientReplyCount <= 0) return null;
            if (--_transientReplyCount == 0) _transientReplyAt = null;
            return _transientReply;
        }
    }

    /// <summary>True once per armed count of <see cref="ServerBusyCount"/>; consumes one count.</summary>
    public bool TryConsumeServerBusy()
    {
        lock (_smtpGate)
        {
            if (_serverBusyCount <= 0) return false;
            _serverBusyCount--;
            return true;
        }
    }

    /// <summary>The throttle delay for this message if one is armed; consumes one count.</summary>
    public TimeSpan TryConsumeSmtpThrottle()
    {
        lock (_smtpGate)
        {
            if (_throttleCount <= 0) return TimeSpan.Zero;
            _throttleCount--;
            return TimeSpan.FromMilliseconds(_throttleDelayMs);
        }
    }

    partial void ResetSmtp()
    {
        SmtpReplyHold? hold;
        lock (_smtpGate)
        {
            hold = _replyHold;
            _replyHold = null;
            _smtpReplyLatencyMs = 0;
            _dropConnectionAt = null;
            _dropConnectionCount = 0;
            _transientReplyAt = null;
            _transientReplyCount = 0;
            _transientReply = DefaultTransientSmtpReply;
            _throttleCount = 0;
            _throttleDelayMs = 0;
            _serverBusyCount = 0;
        }

        hold?.Release();

        SmtpOmitStartTls = false;
        SmtpReplyOneByteAtATime = false;
        SmtpEndlessMultilineReply = false;
        SmtpSettings.Reset();
        Interlocked.Increment(ref _smtpResetGeneration);
    }
}
