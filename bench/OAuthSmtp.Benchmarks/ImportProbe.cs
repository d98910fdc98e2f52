using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using OAuthSmtp.Hosting;

namespace OAuthSmtp.Benchmarks;

/// <summary>
/// Child mode --import-probe [--warm]: a fresh process that opens a runspace (hosted PowerShell 7) and imports
/// out/OAuthSmtp, as pwsh does when a script starts with Import-Module. Prints process-ms (process start to runspace
/// open), runspace-ms (creating and opening the runspace, plus one trivial script so the engine's own first-use costs
/// are not charged to the import), import-ms (Import-Module itself) and first-command-ms (Get-SmtpOAuthProfile after
/// it). With --warm an empty manifest module is imported first, so PowerShell's own module-import code is already
/// compiled and import-ms is what OAuthSmtp itself adds; empty-import-ms is that first, empty import.
/// </summary>
public static class ImportProbe
{
    public const string Mode = "--import-probe";
    public const string WarmOption = "--warm";

    public static int Run(bool warm)
    {
        var processStart = Process.GetCurrentProcess().StartTime;
        var watch = Stopwatch.StartNew();
        using var session = new PowerShellSession(new PowerShellSessionOptions());
        EmulatedTenant.Check(session.Run("$null = $PSVersionTable"), "the first script");
        var runspace = watch.Elapsed;
        var processToRunspace = DateTime.Now - processStart;

        if (warm)
        {
            var folder = Directory.CreateTempSubdirectory("oauthsmtp-bench-empty-").FullName;
            try
            {
                var empty = Path.Combine(folder, "Empty.psd1");
                File.WriteAllText(empty, "@{ ModuleVersion = '1.0.0' }");
                watch.Restart();
                EmulatedTenant.Check(session.Run($"Import-Module -Name '{empty.Replace("'", "''")}' -ErrorAction Stop"), "Import-Module of an empty module");
                Print("empty-import-ms", watch.Elapsed.TotalMilliseconds);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        var manifest = Path.Combine(PowerShellSession.ModuleFolder, "OAuthSmtp.psd1");
        watch.Restart();
        EmulatedTenant.Check(session.Run($"Import-Module -Name '{manifest.Replace("'", "''")}' -ErrorAction Stop"), "Import-Module");
        var import = watch.Elapsed;

        watch.Restart();
        EmulatedTenant.Check(session.Run("$null = Get-SmtpOAuthProfile"), "Get-SmtpOAuthProfile");
        var firstCommand = watch.Elapsed;

        Print("process-ms", processToRunspace.TotalMilliseconds);
        Print("runspace-ms", runspace.TotalMilliseconds);
        Print("import-ms", import.TotalMilliseconds);
        Print("first-command-ms", firstCommand.TotalMilliseconds);
        return 0;
    }

    private static void Print(string name, double value) =>
        Console.WriteLine(name + "=" + value.ToString("0.###", CultureInfo.InvariantCulture));
}
