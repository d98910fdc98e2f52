using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// What the relay's spool holds, counted from its folders while the relay is stopped: the relay program keeps one
/// folder per message state (its MessageSpool; a relay test holds the names here in step with it) and one
/// &lt;id&gt;.msg file per message. Undelivered messages are those a device got a 250 for and Exchange has not taken
/// for sure: queued, submitting, dead letters and delivery unknown. Uninstall-SmtpOAuthRelay never deletes those unasked.
/// </summary>
public sealed class RelaySpoolContents
{
    public const string MessagePattern = "*.msg";

    /// <summary>Being received: no device got a 250 for these, the relay removes them at start.</summary>
    public const string IncomingFolder = "incoming";

    public const string QueuedFolder = "queued";

    public const string SubmittingFolder = "submitting";

    /// <summary>Delivered; kept for a while, then purged by the relay.</summary>
    public const string DoneFolder = "done";

    public const string DeadFolder = "dead";

    public const string UnknownFolder = "unknown";

    /// <summary>Every folder of the spool, in the relay's order of states.</summary>
    public static IReadOnlyList<string> Folders { get; } = new[] { IncomingFolder, QueuedFolder, SubmittingFolder, DoneFolder, DeadFolder, UnknownFolder };

    private RelaySpoolContents(string path)
    {
        Path = path;
    }

    /// <summary>The spool folder.</summary>
    public string Path { get; }

    /// <summary>Accepted and waiting for Exchange (the relay sends them when it runs again).</summary>
    public int Queued { get; private set; }

    /// <summary>Caught mid-submission by a stop: the relay declares them delivery unknown at its next start.</summary>
    public int Submitting { get; private set; }

    /// <summary>Refused by Exchange for good, each with its reason and fix beside it.</summary>
    public int DeadLetters { get; private set; }

    /// <summary>Exchange may or may not have them (the connection ended after the data).</summary>
    public int DeliveryUnknown { get; private set; }

    public int Delivered { get; private set; }

    /// <summary>Messages a device was told were accepted and that Exchange has not taken for sure.</summary>
    public int Undelivered => Queued + Submitting + DeadLetters + DeliveryUnknown;

    /// <summary>Counts the messages in <paramref name="path"/>; a spool that does not exist is empty.</summary>
    public static RelaySpoolContents Read(string path)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        return new RelaySpoolContents(path)
        {
            Queued = Count(path, QueuedFolder),
            Submitting = Count(path, SubmittingFolder),
            DeadLetters = Count(path, DeadFolder),
            DeliveryUnknown = Count(path, UnknownFolder),
            Delivered = Count(path, DoneFolder),
        };
    }

    /// <summary>"3 queued, 1 dead letter(s)": the non-zero counts, for messages and -WhatIf.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        Add(parts, Queued, "queued");
        Add(parts, Submitting, "caught mid-submission (delivery unknown)");
        Add(parts, DeadLetters, "dead letter(s)");
        Add(parts, DeliveryUnknown, "delivery unknown");
        return parts.Count == 0 ? "no undelivered messages" : string.Join(", ", parts);
    }

    private static void Add(List<string> parts, int count, string what)
    {
        if (count > 0)
        {
            parts.Add($"{count} {what}");
        }
    }

    private static int Count(string spool, string folder)
    {
        var path = System.IO.Path.Combine(spool, folder);
        return Directory.Exists(path) ? Directory.EnumerateFiles(path, MessagePattern).Count() : 0;
    }
}
