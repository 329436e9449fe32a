// The assistant widget: without this script its form posts to the full page; with it, the
// answer is fetched from the API and added to the widget's log (announced: aria-live).
(function () {
  var form = document.querySelector("[data-assistant-form]");
  if (!form || !window.fetch) return;
  var log = document.querySelector("[data-assistant-log]");
  var input = form.querySelector("input[name=question]");
  var conversation = null;
  function add(cls, text, links) {
    var li = document.createElement("li");
    li.className = cls;
    li.textContent = text;
    (links || []).forEach(function (p) {
      var a = document.createElement("a");
      a.href = p.url;
      a.textContent = " " + p.code + " – " + p.name;
      li.appendChild(document.createElement("br"));
      li.appendChild(a);
    });
    log.appendChild(li);
  }
  form.addEventListener("submit", function (event) {
    var question = input.value.trim();
    if (!question) return;
    event.preventDefault();
    add("chat-q", question);
    input.value = "";
    fetch(form.dataset.api, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question: question, conversation_id: conversation }),
    })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        conversation = data.conversation_id || conversation;
        add("chat-a", data.answer || data.message || "", data.procedures);
        input.focus();
      })
      .catch(function () { form.submit(); });
  });
})();
