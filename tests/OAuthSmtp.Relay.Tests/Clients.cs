using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;

namespace OAuthSmtp.Relay.Tests;

/// <summary>The outcome of one client run: exit code and what it printed.</summary>
public sealed record ClientRun(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"exit {ExitCode}: {Output}";
}

/// <summary>
/// SMTP clients nobody here wrote, as a device would use them: Python's smtplib and swaks as processes.
/// </summary>
public static class Clients
{
    private const string PythonScript = """
import smtplib, ssl, sys
host, port, auth, starttls, user, password, sender, recipients, path = sys.argv[1:10]
data = open(path, 'rb').read()
try:
    with smtplib.SMTP(host, int(port), local_hostname='python-device', timeout=30) as smtp:
        smtp.ehlo('python-device')
        if starttls == '1':
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            smtp.starttls(context=context)
            smtp.ehlo('python-device')
        if auth != 'none':
            smtp.user, smtp.password = user, password
            method = {'plain': smtp.auth_plain, 'login': smtp.auth_login}[auth]
            smtp.auth(auth.upper(), method, initial_response_ok=(auth == 'plain'))
        refused = smtp.sendmail(sender, recipients.split(','), data)
        print('sent', refused)
except smtplib.SMTPResponseException as e:
    print('reply', e.smtp_code, e.smtp_error.decode('utf-8', 'replace'))
    sys.exit(1)
except smtplib.SMTPRecipientsRefused as e:
    print('refused', {k: (v[0], v[1].decode()) for k, v in e.recipients.items()})
    sys.exit(1)
except smtplib.SMTPServerDisconnected as e:
    print('disconnected', e)
    sys.exit(1)
""";

    public static async Task<ClientRun> PythonAsync(string folder, int port, string auth, string? user, string? password, string from, string to, byte[] message, bool startTls = false)
    {
        var script = Path.Combine(folder, "device.py");
        await File.WriteAllTextAsync(script, PythonScript);
        var file = Path.Combine(folder, $"message-{Guid.NewGuid():N}.eml");
        await File.WriteAllBytesAsync(file, message);
        return await RunAsync("python3", script, "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), auth, startTls ? "1" : "0", user ?? "", password ?? "", from, to, file);
    }

    /// <summary>swaks, or null when it is not installed (the caller decides whether that may pass).</summary>
    public static async Task<ClientRun?> SwaksAsync(string folder, int port, string? auth, string? user, string? password, string from, string to, byte[] message, bool startTls = false)
    {
        if (!IsInstalled("swaks"))
        {
            return null;
        }

        var file = Path.Combine(folder, $"swaks-{Guid.NewGuid():N}.eml");
        await File.WriteAllBytesAsync(file, message);
        var args = new System.Collections.Generic.List<string> { "--server", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--from", from, "--to", to, "--data", "@" + file, "--helo", "swaks-device", "--timeout", "30" };
        if (auth is not null)
        {
            args.AddRange(new[] { "--auth", auth, "--auth-user", user!, "--auth-password", password! });
        }

        if (startTls)
        {
            args.Add("--tls");
        }

        return await RunAsync("swaks", args.ToArray());
    }

    public static bool IsInstalled(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, command)));

    private static async Task<ClientRun> RunAsync(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new ClientRun(process.ExitCode, (await output) + (await error));
    }

    /// <summary>A message as a device writes it: CRLF line ends, a dot-led line (dot stuffing on the wire), 8-bit text.</summary>
    public static byte[] Message(string from, string to, string subject, string body = "Scan attached.\r\n.leading dot line\r\nLast line")
    {
        var text = $"From: Scanner <{from}>\r\nTo: <{to}>\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@device.example>\r\nDate: Thu, 03 Dec 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\nGrüße\r\n";
        return Encoding.UTF8.GetBytes(text);
    }
}
