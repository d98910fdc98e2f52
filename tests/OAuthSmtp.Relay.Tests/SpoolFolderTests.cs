using System;
using System.Buffers;
using System.IO;
using System.Linq;
using System.Text;
using OAuthSmtp.Engine.Relay;
using OAuthSmtp.Relay.Spool;
using Xunit;

namespace OAuthSmtp.Relay.Tests;

/// <summary>
/// Uninstall-SmtpOAuthRelay counts undelivered messages from the spool's folders (RelaySpoolContents in the engine,
/// which cannot see the relay's MessageSpool): the two must name the same folders, or a message could be deleted unasked.
/// </summary>
public sealed class SpoolFolderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "oauthsmtp-spool-folder-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void The_engine_counts_the_folders_the_relay_spools_into()
    {
        var spool = new MessageSpool(_root);

        Assert.Equal(
            Enum.GetValues<SpoolState>().Select(s => Path.GetFileName(spool.FolderOf(s))).OrderBy(n => n, StringComparer.Ordinal),
            RelaySpoolContents.Folders.OrderBy(n => n, StringComparer.Ordinal));

        var queued = spool.Accept(new SpoolEnvelope { Id = MessageSpool.NewId(), Device = "printer", Profile = "p", Mailbox = "m@contoso.com" }, new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("Subject: a\r\n\r\nb")));
        var dead = spool.Accept(new SpoolEnvelope { Id = MessageSpool.NewId(), Device = "printer", Profile = "p", Mailbox = "m@contoso.com" }, new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("Subject: c\r\n\r\nd")));
        spool.Finish(dead, SpoolState.Dead, new SpoolOutcome { Id = dead.Id, Reason = "SendAs" });
        var submitting = spool.Accept(new SpoolEnvelope { Id = MessageSpool.NewId(), Device = "printer", Profile = "p", Mailbox = "m@contoso.com" }, new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("Subject: e\r\n\r\nf")));
        spool.Move(submitting, SpoolState.Submitting);

        var contents = RelaySpoolContents.Read(_root);
        Assert.Equal((1, 1, 1, 3), (contents.Queued, contents.Submitting, contents.DeadLetters, contents.Undelivered));
        Assert.NotNull(queued);
    }
}
