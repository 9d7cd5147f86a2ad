// The enricher: imports example:service/processing, forwards every request
// to it, and tags what comes back, so the output of business → enricher →
// validator shows that all three members ran.
import { process as inner } from 'example:service/processing@0.1.0';

export const processing = {
  process(req) {
    let resp;
    try {
      resp = inner({ ...req, id: `${req.id}/js` });
    } catch (e) {
      // componentize-js hands an imported result's err payload over as
      // e.payload; throwing a string makes this export's result an err.
      throw `enricher: ${e.payload ?? e}`;
    }
    return {
      ...resp,
      message: `${resp.message}, enriched`,
      tags: [...resp.tags, 'enriched-by-js'],
    };
  },
};
