// infercache's own document, relative to /swagger-ui/ so the page works behind a path prefix
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "../v3/api-docs",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout",
    // no badge from swagger.io's online validator: it would send the document's address there
    validatorUrl: null
  });
};
