using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace OAuthSmtp.LoadContext;

/// <summary>
/// The module's own load context. Its <see cref="Load"/> override answers before the default context does,
/// so MSAL, MailKit and MimeKit come from our dependencies/ folder even when another module
/// (ExchangeOnlineManagement, Microsoft.Graph) has already put other copies into the default context.
/// </summary>
public sealed class ModuleLoadContext : AssemblyLoadContext
{
    private static readonly string FrameworkDirectory =
        Path.GetDirectoryName(typeof(object).Assembly.Location) ?? string.Empty;

    private readonly string _dependencyDirectory;

    public ModuleLoadContext(string dependencyDirectory)
        : base("OAuthSmtp", isCollectible: false)
    {
        _dependencyDirectory = dependencyDirectory;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // The runtime's own assemblies are shared: loading a second System.Runtime would break type identity.
        if (IsFrameworkAssembly(assemblyName))
        {
            return null;
        }

        var candidate = Path.Combine(_dependencyDirectory, assemblyName.Name + ".dll");
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }

    private static bool IsFrameworkAssembly(AssemblyName assemblyName) =>
        File.Exists(Path.Combine(FrameworkDirectory, assemblyName.Name + ".dll"));
}
