using System;
using System.IO;
using OAuthSmtp.ModuleTools.Help;
using OAuthSmtp.ModuleTools.Packaging;

// dotnet run --project tools/OAuthSmtp.ModuleTools -- help            rewrite module/en-US from docs/help
// dotnet run --project tools/OAuthSmtp.ModuleTools -- help --check    report help files out of step (exit 1)
// dotnet run --project tools/OAuthSmtp.ModuleTools -- pack <module folder> <output folder>
//                                                                      write <Name>.<Version>.nupkg (the PackModule target)
var command = args.Length > 0 ? args[0] : string.Empty;
try
{
    switch (command)
    {
        case "help" when args.Length == 2 && args[1] == "--check":
            var root = HelpGenerator.FindRepositoryRoot(Directory.GetCurrentDirectory());
            var stale = HelpGenerator.FindStaleFiles(root);
            foreach (var name in stale)
            {
                Console.Error.WriteLine($"{HelpGenerator.OutputFolder}/{name} is out of step with {HelpGenerator.HelpFolder}.");
            }

            if (stale.Count > 0)
            {
                Console.Error.WriteLine("Regenerate it with: dotnet run --project tools/OAuthSmtp.ModuleTools -- help");
            }

            return stale.Count == 0 ? 0 : 1;
        case "help" when args.Length == 1:
            foreach (var name in HelpGenerator.WriteAll(HelpGenerator.FindRepositoryRoot(Directory.GetCurrentDirectory())))
            {
                Console.WriteLine($"wrote {HelpGenerator.OutputFolder}/{name}");
            }

            return 0;
        case "pack" when args.Length == 3:
            Console.WriteLine($"wrote {ModulePackageWriter.Write(args[1], args[2])}");
            return 0;
        default:
            Console.Error.WriteLine("usage: help [--check] | pack <module folder> <output folder>");
            return 2;
    }
}
catch (HelpFormatException exception)
{
    Console.Error.WriteLine($"{HelpGenerator.HelpFolder}/{exception.Message}");
    return 1;
}
catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException)
{
    Console.Error.WriteLine(exception.Message);
    return 1;
}
