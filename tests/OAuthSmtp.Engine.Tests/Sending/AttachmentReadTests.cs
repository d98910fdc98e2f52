using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Sending;
using Xunit;
using Xunit.Abstractions;

namespace OAuthSmtp.Engine.Tests.Sending;

/// <summary>
/// Attachments that change after validation are that message's own error (AttachmentUnreadable, carried, the
/// pipeline goes on, no reconnect storm), and only regular files are attached: a FIFO or /dev/zero is refused at
/// once instead of blocking or spinning forever.
/// </summary>
public sealed class AttachmentReadTests : SenderTestBase
{
    public AttachmentReadTests(EmulatorFixture fixture, ITestOutputHelper output)
        : base(fixture, output, "oauthsmtp-attach-")
    {
    }

    [Fact]
    public async Task Attachment_deleted_after_validation_fails_that_message_only_and_the_pipeline_goes_on()
    {
        var file = Path.Combine(Folder, "report.pdf");
        File.WriteAllBytes(file, new byte[200_000]);
        var failed = Path.Combine(Folder, "failed");
        using var sender = CreateSender(failed);
        var message = WithAttachment(file);
        File.Delete(file);

        var result = await sender.SendAsync(message, CancellationToken.None);
        var next = await sender.SendAsync(Message(2), CancellationToken.None);

        Assert.Equal(SendStatus.Failed, result.Status);
        Assert.Equal(ErrorIds.AttachmentUnreadable, result.ErrorId);
        Assert.Equal(1, result.Attempts);
        Assert.Contains("report.pdf", result.ErrorMessage);
        Assert.Contains("-Message", result.GetError()!.Fix);
        Assert.Same(message, result.GetError()!.TargetObject);
        Assert.Empty(Delays);
        Assert.Equal(SendStatus.Sent, next.Status);
        Assert.DoesNotContain(Emulator.Delivered.All, d => d.MessageId == result.MessageId);
        // Its .eml cannot be written whole without the file: no truncated or temporary file is left behind.
        Assert.Null(result.SavedMessagePath);
        Assert.Contains("could not be saved", result.ErrorMessage);
        Assert.Empty(Directory.Exists(failed) ? Directory.GetFiles(failed, "*", SearchOption.AllDirectories) : Array.Empty<string>());
    }

    [Fact]
    public async Task Attachment_shortened_after_validation_is_never_sent_truncated()
    {
        var file = Path.Combine(Folder, "log.txt");
        File.WriteAllBytes(file, new byte[100_000]);
        using var sender = CreateSender(null);
        var message = WithAttachment(file);
        File.WriteAllBytes(file, new byte[10]);

        var result = await sender.SendAsync(message, CancellationToken.None);

        Assert.Equal(ErrorIds.AttachmentUnreadable, result.ErrorId);
        Assert.Contains("shorter", result.ErrorMessage);
        Assert.Empty(Emulator.Delivered.All);
    }

    [Fact]
    public async Task Attachment_replaced_by_a_fifo_after_validation_fails_at_once()
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return;
        }

        var file = Path.Combine(Folder, "data.csv");
        File.WriteAllText(file, "a,b");
        using var sender = CreateSender(null);
        var message = WithAttachment(file);
        File.Delete(file);
        MakeFifo(file);

        // Opening a FIFO nobody writes to blocks for ever: the ceiling turns such a hang into a failure, it measures nothing.
        var result = await Task.Run(() => sender.SendAsync(message, CancellationToken.None)).WaitAsync(HangCeiling);

        Assert.Equal(ErrorIds.AttachmentUnreadable, result.ErrorId);
        Assert.Contains("named pipe", result.ErrorMessage);
    }

    [Theory]
    [InlineData("fifo", "named pipe")]
    [InlineData("/dev/zero", "character device")]
    public async Task Only_regular_files_are_attached(string what, string words)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return;
        }

        var path = what;
        if (what == "fifo")
        {
            path = Path.Combine(Folder, "pipe");
            MakeFifo(path);
        }

        // A FIFO or device read would never end: the ceiling turns such a hang into a failure, it measures nothing.
        var error = await Task.Run(() => Assert.Throws<OAuthSmtpException>(() => WithAttachment(path))).WaitAsync(HangCeiling);
        Assert.Equal(ErrorIds.AttachmentUnreadable, error.ErrorId);
        Assert.Contains(words, error.Message);
    }

    /// <summary>Long enough for the busiest CI machine; only a read that never ends reaches it.</summary>
    private static readonly TimeSpan HangCeiling = TimeSpan.FromMinutes(2);

    private PreparedMessage WithAttachment(string path) =>
        MessageBuilder.Build(new MessageRequest { To = { "to@fabrikam.com" }, Subject = "With attachment", Body = "See attached", Attachments = { path } }, Tenant.Mailbox);

    private MessageSender CreateSender(string? failedMessagePath) =>
        new(EmulatorOptions().With(options => options.FailedMessagePath = failedMessagePath));

    private static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", path) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
