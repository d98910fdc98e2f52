using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Mail;
using System.Text;
using MimeKit;
using MimeKit.IO;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Sending;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Sending;

public sealed class MessageBuilderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oauthsmtp-builder-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Builds_envelope_headers_and_message_id()
    {
        var message = MessageBuilder.Build(
            new MessageRequest
            {
                To = { "Jane Doe <jane@fabrikam.com>", "bob@fabrikam.com" },
                Cc = { "carol@fabrikam.com" },
                Bcc = { "hidden@fabrikam.com", "JANE@fabrikam.com" },
                ReplyTo = { "help@contoso.com" },
                Subject = "Report",
                Body = "Hello",
                Priority = MailPriority.High,
                Sensitivity = MessageSensitivity.CompanyConfidential,
                Headers = new Dictionary<string, string> { ["X-Ticket"] = "4711" },
            },
            defaultFrom: "sender@contoso.com");

        Assert.Equal("sender@contoso.com", message.From);
        Assert.Equal(new[] { "jane@fabrikam.com", "bob@fabrikam.com", "carol@fabrikam.com", "hidden@fabrikam.com" }, message.RecipientAddresses);
        Assert.EndsWith("@contoso.com", message.MessageId);
        Assert.Equal("1", message.Mime.Headers[HeaderId.XPriority]!.Trim().Substring(0, 1));
        Assert.Equal("high", message.Mime.Headers[HeaderId.Importance]);
        Assert.Equal("Company-Confidential", message.Mime.Headers["Sensitivity"]);
        Assert.Equal("4711", message.Mime.Headers["X-Ticket"]);
        Assert.Equal("help@contoso.com", message.Mime.ReplyTo.Mailboxes.Single().Address);
    }

    [Fact]
    public void Html_with_text_alternative_and_inline_image()
    {
        var image = WriteFile("logo.png", 100);
        var message = MessageBuilder.Build(
            new MessageRequest
            {
                To = { "jane@fabrikam.com" },
                Body = "<p>Hi <img src=\"cid:logo\"></p>",
                BodyAsHtml = true,
                TextBody = "Hi",
                InlineAttachments = new Dictionary<string, string> { ["logo"] = image },
            },
            "sender@contoso.com");

        var alternative = Assert.IsType<MultipartAlternative>(message.Mime.Body);
        Assert.Equal("Hi", Assert.IsType<TextPart>(alternative[0]).Text);
        var related = Assert.IsType<MultipartRelated>(alternative[1]);
        Assert.True(Assert.IsType<TextPart>(related[0]).IsHtml);
        Assert.Equal("logo", Assert.IsType<MimePart>(related[1]).ContentId);
    }

    [Fact]
    public void Non_ascii_subject_names_and_body_are_encoded()
    {
        var message = MessageBuilder.Build(
            new MessageRequest { To = { "Jürgen Müller <jm@fabrikam.com>" }, Subject = "Grüße – 日本語", Body = "Straße ✓" },
            "sender@contoso.com");
        using var memory = new MemoryStream();
        message.Mime.WriteTo(memory);
        var raw = Encoding.ASCII.GetString(memory.ToArray());
        Assert.Contains("Subject: =?utf-8?", raw);
        Assert.Contains("=?utf-8?", raw.Split('\n').Single(l => l.StartsWith("To:", StringComparison.Ordinal)));
        memory.Position = 0;
        var parsed = MimeMessage.Load(memory);
        Assert.Equal("Grüße – 日本語", parsed.Subject);
        Assert.Equal("Jürgen Müller", parsed.To.Mailboxes.Single().Name);
        Assert.Equal("Straße ✓", parsed.TextBody!.TrimEnd());
        Assert.False(message.NeedsSmtpUtf8);
    }

    [Fact]
    public void Non_ascii_local_part_needs_smtputf8()
    {
        var message = MessageBuilder.Build(new MessageRequest { To = { "jürgen@fabrikam.com" } }, "sender@contoso.com");
        Assert.True(message.NeedsSmtpUtf8);
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("jane@")]
    [InlineData("@fabrikam.com")]
    [InlineData("jane")]
    [InlineData("jane@fabrikam.com\r\nBcc: evil@x.com")]
    public void Invalid_addresses_are_refused(string address)
    {
        var error = Assert.Throws<OAuthSmtpException>(() =>
            MessageBuilder.Build(new MessageRequest { To = { address } }, "sender@contoso.com"));
        Assert.Equal(ErrorIds.InvalidEmailAddress, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public void Invalid_from_is_refused()
    {
        var error = Assert.Throws<OAuthSmtpException>(() =>
            MessageBuilder.Build(new MessageRequest { From = "sender at contoso", To = { "jane@fabrikam.com" } }, null));
        Assert.Equal(ErrorIds.InvalidEmailAddress, error.ErrorId);
    }

    [Fact]
    public void No_recipients_and_no_sender_are_refused()
    {
        Assert.Equal(ErrorIds.NoRecipients, Assert.Throws<OAuthSmtpException>(() =>
            MessageBuilder.Build(new MessageRequest { To = { " " } }, "sender@contoso.com")).ErrorId);
        Assert.Equal(ErrorIds.SenderRequired, Assert.Throws<OAuthSmtpException>(() =>
            MessageBuilder.Build(new MessageRequest { To = { "jane@fabrikam.com" } }, null)).ErrorId);
    }

    [Theory]
    [InlineData("Hello\r\nBcc: victim@example.com")]
    [InlineData("Hello\nX-Injected: 1")]
    [InlineData("Hello\r")]
    public void Line_breaks_in_subject_are_header_injection(string subject)
    {
        var error = Assert.Throws<OAuthSmtpException>(() =>
            MessageBuilder.Build(new MessageRequest { To = { "jane@fabrikam.com" }, Subject = subject }, "sender@contoso.com"));
        Assert.Equal(ErrorIds.HeaderInjection, error.ErrorId);
    }

    [Fact]
    public void Line_breaks_in_header_values_are_header_injection()
    {
        var error = Assert.Throws<OAuthSmtpException>(() => MessageBuilder.Build(
            new MessageRequest { To = { "jane@fabrikam.com" }, Headers = new Dictionary<string, string> { ["X-Ok"] = "a\r\nBcc: evil@x.com" } },
            "sender@contoso.com"));
        Assert.Equal(ErrorIds.HeaderInjection, error.ErrorId);
    }

    [Theory]
    [InlineData("Bcc")]
    [InlineData("from")]
    [InlineData("X Bad")]
    [InlineData("X:Bad")]
    public void Reserved_or_malformed_header_names_are_refused(string name)
    {
        var error = Assert.Throws<OAuthSmtpException>(() => MessageBuilder.Build(
            new MessageRequest { To = { "jane@fabrikam.com" }, Headers = new Dictionary<string, string> { [name] = "x" } },
            "sender@contoso.com"));
        Assert.Equal(ErrorIds.InvalidHeader, error.ErrorId);
    }

    [Fact]
    public void Missing_attachment_and_folder_are_not_found()
    {
        foreach (var path in new[] { Path.Combine(_folder, "missing.pdf"), _folder })
        {
            var error = Assert.Throws<OAuthSmtpException>(() => MessageBuilder.Build(
                new MessageRequest { To = { "jane@fabrikam.com" }, Attachments = { path } }, "sender@contoso.com"));
            Assert.Equal(ErrorIds.AttachmentNotFound, error.ErrorId);
            Assert.Contains(path, error.Message);
        }
    }

    [Fact]
    public void Unreadable_attachment_is_reported_before_sending()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root")
        {
            // root reads any file regardless of its mode; there is no unreadable file to make.
            return;
        }

        var path = WriteFile("secret.bin", 10);
        File.SetUnixFileMode(path, UnixFileMode.None);
        var error = Assert.Throws<OAuthSmtpException>(() => MessageBuilder.Build(
            new MessageRequest { To = { "jane@fabrikam.com" }, Attachments = { path } }, "sender@contoso.com"));
        Assert.Equal(ErrorIds.AttachmentUnreadable, error.ErrorId);
    }

    [Fact]
    public void Large_attachment_is_streamed_from_disk_not_buffered()
    {
        const int size = 48 * 1024 * 1024;
        var path = WriteFile("big.bin", size);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var message = MessageBuilder.Build(new MessageRequest { To = { "jane@fabrikam.com" }, Attachments = { path } }, "sender@contoso.com");
        using var measure = new MeasuringStream();
        message.Mime.WriteTo(measure);
        message.ReleaseFiles();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(measure.Length > size * 4L / 3, $"measured {measure.Length}");
        Assert.True(allocated < size / 4, $"building and measuring a {size:N0}-byte attachment allocated {allocated:N0} bytes");
        var part = message.Mime.Attachments.OfType<MimePart>().Single();
        Assert.Equal("big.bin", part.FileName);
        Assert.Equal(ContentEncoding.Base64, part.ContentTransferEncoding);
    }

    [Fact]
    public void Saved_eml_round_trips_through_message_source_with_its_bcc_and_id()
    {
        var message = MessageBuilder.Build(
            new MessageRequest { To = { "jane@fabrikam.com" }, Bcc = { "hidden@fabrikam.com" }, Subject = "Again" },
            "sender@contoso.com");
        var path = Path.Combine(_folder, "saved.eml");
        using (var file = File.Create(path))
        {
            message.Mime.WriteTo(FormatOptions.Default, file);
        }

        var loaded = MessageSource.FromObject(path);
        Assert.Equal(message.MessageId, loaded.MessageId);
        Assert.Equal(new[] { "jane@fabrikam.com", "hidden@fabrikam.com" }, loaded.RecipientAddresses);
        Assert.Equal(path, loaded.SourcePath);
        Assert.Equal(ErrorIds.InvalidMessageInput, Assert.Throws<OAuthSmtpException>(() => MessageSource.FromObject(42)).ErrorId);
        Assert.Equal(ErrorIds.InvalidMessageInput, Assert.Throws<OAuthSmtpException>(() => MessageSource.FromObject(Path.Combine(_folder, "none.eml"))).ErrorId);
    }

    private string WriteFile(string name, int size)
    {
        var path = Path.Combine(_folder, name);
        using var file = File.Create(path);
        file.SetLength(size);
        return path;
    }
}
