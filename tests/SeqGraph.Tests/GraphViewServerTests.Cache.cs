using System.Net;
using Microsoft.AspNetCore.Http;
using SeqGraph.Web;

namespace SeqGraph.Tests;

/// <summary>The graph view's cache: bounded, and one view's computing does not hold up another's.</summary>
public sealed partial class GraphViewServerTests
{
    [Fact]
    public async Task MoreDistinctViewsThanTheBoundKeepAtMostTheBoundAndAnswerAsBefore()
    {
        var views = new GraphViewRequests(new RunCatalog(runs.Runs, TimeSpan.FromMinutes(1)));
        var asked = new[] { ("gcn", ""), ("gcn", "?seed=0"), ("gcn", "?seed=1"), ("gat", ""), ("gat", "?seed=0"), ("gcn", "") };
        var first = new Dictionary<string, string>();
        foreach (var (id, query) in asked)
        {
            var context = new DefaultHttpContext();
            context.Request.Method = "GET";
            context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
            using var body = new MemoryStream();
            context.Response.Body = body;
            await views.Handle(context, [id, "graph"]);
            Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
            string json = System.Text.Encoding.UTF8.GetString(body.ToArray());
            if (first.TryGetValue(id + query, out var seen)) Assert.Equal(seen, json);   // recomputed after it was dropped: the same view
            else first[id + query] = json;
            Assert.True(views.CachedViews <= GraphViewRequests.MaxViews, $"{views.CachedViews} views kept");
        }
        Assert.Equal(GraphViewRequests.MaxViews, views.CachedViews);
    }

    [Fact]
    public async Task ConcurrentRequestsForDifferentRunsBothAnswer()
    {
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Runs = runs.Runs });
        var answers = await Task.WhenAll(Get(server.Address, "api/runs/gcn/graph?seed=1"), Get(server.Address, "api/runs/gat/graph"),
            Get(server.Address, "api/runs/gcn/graph?seed=1"));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(answers[0].Body, answers[2].Body);
    }
}
