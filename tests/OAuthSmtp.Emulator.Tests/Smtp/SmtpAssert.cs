using System;
using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Smtp;

internal static class SmtpAssert
{
    /// <summary>The host tag Exchange appends: [&lt;host&gt; &lt;ISO-8601 time&gt; &lt;16 hex&gt;].</summary>
    public const string HostTagPattern = @"\[localhost \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z [0-9A-F]{16}\]";

    /// <summary>Asserts a whole reply line: <paramref name="expected"/> exactly, followed by the host tag when <paramref name="hostTag"/>.</summary>
    public static void Reply(string expected, string actual, bool hostTag = false)
    {
        if (hostTag) Assert.Matches("^" + Regex.Escape(expected) + " " + HostTagPattern + "$", actual);
        else Assert.Equal(expected, actual);
    }

    /// <summary>The server's reply as MailKit reports it: status code and text.</summary>
    public static string ReplyOf(Exception exception) => exception switch
    {
        SmtpCommandException command => $"{(int)command.StatusCode} {command.Message}",
        // MailKit words a refused AUTH as "<code>: <text>".
        MailKit.Security.AuthenticationException auth => Regex.Replace(auth.Message, @"^(\d{3}): ", "$1 "),
        _ => exception.Message,
    };
}
