package graph

import (
	"context"
	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/model"
)

// isbNetwork is the officers' network over the resolver's store and clock.
func (r *Resolver) isbNetwork() *cyberlotse.IsbNetwork {
	return &cyberlotse.IsbNetwork{Store: r.IsbNetwork, Now: r.Now}
}

// isbOfficer checks that the caller may use the network as municipality ags.
func (r *Resolver) isbOfficer(ctx context.Context, ags string) (cyberlotse.AGS, *cyberlotse.Identity, error) {
	id := cyberlotse.IdentityFromContext(ctx)
	a, err := cyberlotse.ParseAGS(ags)
	if err != nil {
		return "", nil, err
	}
	if err := cyberlotse.CanUseIsbNetwork(id, a); err != nil {
		return "", nil, err
	}
	return a, id, nil
}

func isbPeerConnection(p *cyberlotse.PeerPage) *model.IsbPeerConnection {
	c := &model.IsbPeerConnection{Edges: []*model.IsbPeerEdge{}, Nodes: []*model.IsbPeer{},
		PageInfo:  &model.PageInfo{HasNextPage: p.HasNext},
		SizeClass: cyberlotse.PopulationClassName(p.SizeClass)}
	for _, peer := range p.Peers {
		reasons := make([]*cyberlotse.PeerReason, len(peer.Reasons))
		for i := range peer.Reasons {
			reasons[i] = &peer.Reasons[i]
		}
		node := &model.IsbPeer{Profile: peer.Profile, Reasons: reasons}
		cursor := peer.Cursor.Encode()
		c.Edges = append(c.Edges, &model.IsbPeerEdge{Cursor: cursor, Node: node})
		c.Nodes = append(c.Nodes, node)
	}
	if n := len(c.Edges); n > 0 {
		c.PageInfo.StartCursor, c.PageInfo.EndCursor = &c.Edges[0].Cursor, &c.Edges[n-1].Cursor
	}
	return c
}
