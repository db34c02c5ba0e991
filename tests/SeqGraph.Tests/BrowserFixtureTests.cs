using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace SeqGraph.Tests;

/// <summary>
/// The browser fixture against a stand-in page served by ASP.NET Core on a free port: chromium runs
/// the page's script, fetches JSON and an SVG from the server, and takes a screenshot. Stands in until
/// the dashboard's own page exists.
/// </summary>
public sealed class BrowserFixtureTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    const string Page = """
        <!doctype html><html><body>
        <p id="out">waiting</p><img id="plot" src="/plot.svg">
        <script>fetch('/api/n').then(r => r.json()).then(j => { document.getElementById('out').textContent = 'n=' + (j.n * 2); });</script>
        </body></html>
        """;

    const string Svg = """<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="teal"/></svg>""";

    [Fact]
    public async Task ChromiumRunsThePageScriptAndLoadsItsImage()
    {
        await using var app = await StartStandIn();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var problems = new List<string>();
        var clock = Stopwatch.StartNew();
        var page = await browser.NewPageAsync(problems);
        await page.GotoAsync(address + "/");
        // Only a browser that ran the script and the fetch gets 21 * 2.
        await page.WaitForFunctionAsync("document.getElementById('out').textContent !== 'waiting'");
        Assert.Equal("n=42", await page.TextContentAsync("#out"));
        await page.WaitForFunctionAsync("document.getElementById('plot').complete");
        Assert.Equal(120, await page.EvaluateAsync<int>("document.getElementById('plot').naturalWidth"));
        string shot = BrowserFixture.ScreenshotPath("stand-in.png");
        await page.ScreenshotAsync(new() { Path = shot });
        Assert.True(new FileInfo(shot).Length > 100, "screenshot is empty");
        Assert.Empty(problems);
        output.WriteLine($"chromium start {browser.StartTime.TotalMilliseconds:F0} ms, page test {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task AMissingImageIsSeenAsNotLoaded()
    {
        await using var app = await StartStandIn();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var page = await browser.NewPageAsync();
        await page.SetContentAsync($"<img id=\"plot\" src=\"{address}/absent.svg\">");
        await page.WaitForFunctionAsync("document.getElementById('plot').complete");
        Assert.Equal(0, await page.EvaluateAsync<int>("document.getElementById('plot').naturalWidth"));
    }

    static async Task<WebApplication> StartStandIn()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/", () => Results.Content(Page, "text/html"));
        app.MapGet("/api/n", () => Results.Json(new { n = 21 }));
        app.MapGet("/plot.svg", () => Results.Content(Svg, "image/svg+xml"));
        await app.StartAsync();
        return app;
    }
}
