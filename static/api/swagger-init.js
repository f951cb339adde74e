/* Starts Swagger UI on the read API's reference page (templates/ninja/swagger.html): the settings come from
   the page's data attribute, so the page needs no inline script. Calls made with "Try it out" carry the
   bearer token typed under "Authorize" and never the browser's session. */
(function () {
  "use strict";
  var holder = document.getElementById("swagger-ui");
  if (!holder || typeof SwaggerUIBundle === "undefined") {
    return;
  }
  var settings = JSON.parse(holder.dataset.settings || "{}");
  settings.dom_id = "#swagger-ui";
  settings.presets = [SwaggerUIBundle.presets.apis];
  settings.layout = "BaseLayout";
  settings.requestInterceptor = function (request) {
    request.credentials = "omit";
    return request;
  };
  window.ui = SwaggerUIBundle(settings);
})();
