using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Sending;
using OAuthSmtp.Engine.Tokens;
using Xunit;
using Xunit.Abstractions;

namespace OAuthSmtp.Engine.Tests.Sending;

/// <summary>
/// -MessagePath .eml files are streamed (issue 13 item 14): planning holds the headers, the content is read from the
/// file while it is sent, the file is open only during a pass over the content, and closed on every path: sent,
/// failed and saved, cancelled, and unreadable (that message's own error, carried, resendable from its path).
/// Memory and handle figures are measured in this process, so the class runs alone.
/// </summary>
[Collection(MessageFileStreamingCollection.Name)]
public sealed class MessageFileStreamingTests : SenderTestBase
{
    private const string Mailbox = "sender@contoso.com";

    public MessageFileStreamingTests(EmulatorFixture fixture, ITestOutputHelper output)
        : base(fixture, output, "oauthsmtp-eml-stream-")
    {
    }

    [Fact]
    public async Task A_100_MB_eml_is_sent_from_the_file_with_memory_growth_well_under_its_size()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var path = Path.Combine(Folder, "large.eml");
        WriteLargeMessage(path, 100L * 1024 * 1024);
        var fileSize = new FileInfo(path).Length;
        var transcript = RecordedTranscript.FromLines("large", AcceptingDialogue(messages: 1));
        transcript.KeepClientText = false;
        using var sender = new MessageSender(new SmtpSenderOptions("smtp.office365.com", 587, Mailbox, new StaticAccessTokenSource("opaque-token-for-replay"))
        {
            TranscriptStream = transcript.OpenConnection,
        });

        var before = ResetPeakAndReadResident();
        var message = MessageSource.FromFile(path);
        var result = await sender.SendAsync(message, CancellationToken.None);
        var peakGrowth = PeakResident() - before;

        Assert.Equal(SendStatus.Sent, result.Status);
        Assert.True(transcript.ClientByteCount > fileSize, $"{transcript.ClientByteCount:N0} bytes sent for a {fileSize:N0}-byte file");
        Output.WriteLine($"eml {fileSize / 1048576.0:0.0} MB sent; peak working set growth {peakGrowth / 1048576.0:0.0} MB");
        Assert.True(peakGrowth < fileSize / 4, $"peak working set grew {peakGrowth:N0} bytes for a {fileSize:N0}-byte .eml");
        Assert.Empty(OpenHandlesUnder(Folder));
    }

    [Fact]
    public async Task Five_hundred_eml_files_through_one_pipeline_leave_no_file_open()
    {
        var files = Enumerable.Range(0, 500).Select(i => WriteSmallMessage(i)).ToArray();
        var handlesBefore = OpenHandleCount();
        using var sender = new MessageSender(EmulatorOptions());

        var mostOpenDuring = 0;
        var results = new List<SendResult>();
        foreach (var file in files)
        {
            results.Add(await sender.SendAsync(MessageSource.FromFile(file), CancellationToken.None));
            mostOpenDuring = Math.Max(mostOpenDuring, OpenHandlesUnder(Folder).Count);
        }

        var handlesAfter = OpenHandleCount();
        Output.WriteLine($"500 .eml files: process handles {handlesBefore} before, {handlesAfter} after; at most {mostOpenDuring} of the files open between messages");
        Assert.All(results, r => Assert.Equal(SendStatus.Sent, r.Status));
        Assert.Equal(0, mostOpenDuring);
        Assert.Empty(OpenHandlesUnder(Folder));
        // The sender's own connection and the emulator's side of it, nothing per message.
        Assert.True(handlesAfter - handlesBefore < 20, $"{handlesBefore} handles before, {handlesAfter} after");
        AssertDeliveredExactlyOnce(results);
    }

    [Fact]
    public async Task A_refused_message_file_is_saved_whole_and_closed()
    {
        var path = WriteSmallMessage(1, attachmentBytes: 300_000);
        var failed = Path.Combine(Folder, "failed");
        var transcript = RecordedTranscript.Load("mail-550-5.2.253-throttled");
        using var sender = new MessageSender(new SmtpSenderOptions("smtp.office365.com", 587, Mailbox, new StaticAccessTokenSource("opaque-token-for-replay"))
        {
            TranscriptStream = transcript.OpenConnection,
            FailedMessagePath = failed,
        });

        var result = await sender.SendAsync(MessageSource.FromFile(path), CancellationToken.None);

        Assert.Equal(SendStatus.Failed, result.Status);
        Assert.Equal(ErrorIds.SenderThrottled, result.ErrorId);
        Assert.NotNull(result.SavedMessagePath);
        var saved = MessageSource.FromFile(result.SavedMessagePath!);
        Assert.Equal(result.MessageId, saved.MessageId);
        Assert.Equal(AttachmentBytes(path), AttachmentBytes(result.SavedMessagePath!));
        Assert.Empty(OpenHandlesUnder(Folder));
    }

    [Fact]
    public async Task A_cancelled_send_closes_the_file()
    {
        var path = WriteSmallMessage(1, attachmentBytes: 300_000);
        using var sender = new MessageSender(EmulatorOptions());
        using var stop = new CancellationTokenSource();
        stop.Cancel();

        var result = await sender.SendAsync(MessageSource.FromFile(path), stop.Token);

        Assert.Equal(SendStatus.Cancelled, result.Status);
        Assert.Empty(OpenHandlesUnder(Folder));
        Assert.Empty(Emulator.Delivered.All);
    }

    [Fact]
    public async Task A_message_file_gone_before_its_send_is_that_messages_error_and_resends_from_its_path()
    {
        var path = WriteSmallMessage(1, attachmentBytes: 100_000);
        var aside = path + ".aside";
        using var sender = new MessageSender(EmulatorOptions());
        var message = MessageSource.FromFile(path);
        File.Move(path, aside);

        var result = await sender.SendAsync(message, CancellationToken.None);
        var next = await sender.SendAsync(Message(2), CancellationToken.None);

        Assert.Equal(SendStatus.Failed, result.Status);
        Assert.Equal(ErrorIds.MessageFileUnreadable, result.ErrorId);
        Assert.Equal(1, result.Attempts);
        Assert.Empty(Delays);
        Assert.Contains(path, result.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("-MessagePath", result.GetError()!.Fix, StringComparison.Ordinal);
        var carried = Assert.IsType<PreparedMessage>(result.GetError()!.TargetObject);
        Assert.Equal(path, carried.SourcePath);
        Assert.Equal(SendStatus.Sent, next.Status);
        Assert.DoesNotContain(Emulator.Delivered.All, d => d.MessageId == result.MessageId);

        // The file back in place: the message the error carries is sent as it is, and so is its path.
        File.Move(aside, path);
        var resent = await sender.SendAsync(MessageSource.FromObject(carried), CancellationToken.None);
        Assert.Equal(SendStatus.Sent, resent.Status);
        Assert.Single(Emulator.Delivered.All, d => d.MessageId == result.MessageId);
        Assert.Empty(OpenHandlesUnder(Folder));
    }

    [Fact]
    public void A_fifo_given_as_a_message_file_is_refused_at_once()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fifo = Path.Combine(Folder, "pipe.eml");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", fifo) { UseShellExecute = false })!)
        {
            mkfifo.WaitForExit();
        }

        var error = Assert.Throws<OAuthSmtpException>(() => MessageSource.FromFile(fifo));
        Assert.Equal(ErrorIds.InvalidMessageInput, error.ErrorId);
        Assert.Contains("named pipe", error.Message, StringComparison.Ordinal);
    }

    private static byte[] AttachmentBytes(string emlPath)
    {
        var part = Assert.IsType<MimeKit.MimePart>(MimeKit.MimeMessage.Load(emlPath).Attachments.Single());
        using var decoded = new MemoryStream();
        part.Content!.DecodeTo(decoded);
        Assert.True(decoded.Length > 200_000);
        return decoded.ToArray();
    }

    private static IReadOnlyList<string> AcceptingDialogue(int messages)
    {
        var lines = new List<string>
        {
            "S: 220 SY5P282CA0097.outlook.office365.com Microsoft ESMTP MAIL Service ready",
            "S: 250-SY5P282CA0097.outlook.office365.com Hello [203.0.113.7]",
            "S: 250-SIZE 157286400",
            "S: 250-AUTH LOGIN XOAUTH2",
            "S: 250-8BITMIME",
            "S: 250 ENHANCEDSTATUSCODES",
            "S: 235 2.7.0 Authentication successful",
        };
        for (var i = 0; i < messages; i++)
        {
            lines.Add("S: 250 2.1.0 Sender OK");
            lines.Add("S: 250 2.1.5 Recipient OK");
            lines.Add("S: 354 Start mail input; end with <CRLF>.<CRLF>");
            lines.Add("S: 250 2.0.0 OK <queued> [Hostname=SY5P282MB0001.AUSP282.PROD.OUTLOOK.COM]");
        }

        lines.Add("S: 221 2.0.0 Service closing transmission channel");
        return lines;
    }

    private string WriteSmallMessage(int index, int attachmentBytes = 2_000)
    {
        var path = Path.Combine(Folder, $"{index:D4}.eml");
        using var file = new StreamWriter(path, append: false, new UTF8Encoding(false)) { NewLine = "\r\n" };
        WriteHeaders(file, $"<eml-{index}-{Guid.NewGuid():N}@contoso.com>", $"user{index}@fabrikam.com", $"Saved {index}");
        WriteAttachment(file, attachmentBytes);
        return path;
    }

    private void WriteLargeMessage(string path, long attachmentBytes)
    {
        using var file = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16) { NewLine = "\r\n" };
        WriteHeaders(file, $"<large-{Guid.NewGuid():N}@contoso.com>", "big@fabrikam.com", "Large saved message");
        WriteAttachment(file, attachmentBytes);
    }

    private void WriteHeaders(StreamWriter file, string messageId, string to, string subject)
    {
        file.WriteLine($"From: {Tenant.Mailbox}");
        file.WriteLine($"To: {to}");
        file.WriteLine($"Subject: {subject}");
        file.WriteLine($"Message-Id: {messageId}");
        file.WriteLine("MIME-Version: 1.0");
        file.WriteLine("Content-Type: multipart/mixed; boundary=\"b1\"");
        file.WriteLine();
        file.WriteLine("--b1");
        file.WriteLine("Content-Type: text/plain; charset=utf-8");
        file.WriteLine();
        file.WriteLine("See the attachment.");
        file.WriteLine("--b1");
        file.WriteLine("Content-Type: application/octet-stream; name=data.bin");
        file.WriteLine("Content-Disposition: attachment; filename=data.bin");
        file.WriteLine("Content-Transfer-Encoding: base64");
        file.WriteLine();
    }

    /// <summary>Base64 lines of 76 characters until about <paramref name="bytes"/> of encoded text, then the closing boundary.</summary>
    private static void WriteAttachment(StreamWriter file, long bytes)
    {
        var random = new Random(20261203);
        var chunk = new byte[57];
        for (long written = 0; written < bytes; written += 78)
        {
            random.NextBytes(chunk);
            file.WriteLine(Convert.ToBase64String(chunk));
        }

        file.WriteLine("--b1--");
    }

    /// <summary>File descriptors of this process that point into <paramref name="folder"/> (Linux; empty elsewhere).</summary>
    private static List<string> OpenHandlesUnder(string folder)
    {
        var open = new List<string>();
        if (!OperatingSystem.IsLinux())
        {
            return open;
        }

        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                var target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith(folder, StringComparison.Ordinal))
                {
                    open.Add(target);
                }
            }
            catch (IOException)
            {
                // Closed while enumerating.
            }
        }

        return open;
    }

    private static int OpenHandleCount() =>
        OperatingSystem.IsLinux() ? Directory.EnumerateFileSystemEntries("/proc/self/fd").Count() : Process.GetCurrentProcess().HandleCount;

    /// <summary>Resets the kernel's peak resident set (VmHWM) to the current one and returns that, after a full collection.</summary>
    private static long ResetPeakAndReadResident()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        File.WriteAllText("/proc/self/clear_refs", "5");
        return StatusValue("VmRSS");
    }

    private static long PeakResident() => StatusValue("VmHWM");

    private static long StatusValue(string name)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        return long.Parse(line.Substring(name.Length + 1).Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MessageFileStreamingCollection
{
    public const string Name = "Message file streaming (measures this process)";
}
